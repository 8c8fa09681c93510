using System.Text.Json;

namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a profile into <c>{file}: {json path} {what is wrong} (line N)</c>.
/// </summary>
internal static class JsonErrorMessage
{
    public static string For(string file, JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var path = exception.Path is { Length: > 0 } p ? p : "$";
        var line = exception.LineNumber is { } l ? $" (line {l + 1})" : "";
        return $"{file}: {path} {Describe(exception.Message)}{line}";
    }

    private static string Describe(string message)
    {
        // System.Text.Json appends " Path: $.x | LineNumber: 3 | BytePositionInLine: 7." to its own messages.
        var text = message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd();

        if (text.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "is not a known key (keys are camelCase and case-sensitive)";
        }

        if (text.Contains("doesn't allow setting null values", StringComparison.Ordinal))
        {
            return "must not be null";
        }

        if (text.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return "is a duplicate key";
        }

        const string ConvertedTo = "The JSON value could not be converted to ";
        if (text.StartsWith(ConvertedTo, StringComparison.Ordinal))
        {
            return $"must be {Expected(text[ConvertedTo.Length..].TrimEnd('.'))}";
        }

        return text.StartsWith("must ", StringComparison.Ordinal) ? text : $"is not valid JSON: {text}";
    }

    private static string Expected(string typeName) => typeName switch
    {
        _ when typeName.Contains("System.Int32", StringComparison.Ordinal) => "a whole number",
        _ when typeName.Contains("System.TimeSpan", StringComparison.Ordinal) => "a duration such as \"00:30:00\"",
        _ when typeName.StartsWith("System.Collections.", StringComparison.Ordinal) => "an array",
        "System.String" => "a string",
        _ when typeName.Contains("System.Decimal", StringComparison.Ordinal) => "a number",
        _ when typeName.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when typeName.Contains("System.DateOnly", StringComparison.Ordinal) => "a date such as \"2026-12-25\"",
        _ when typeName.StartsWith("PhoneAgent.", StringComparison.Ordinal) => "an object",
        _ => typeName,
    };
}
