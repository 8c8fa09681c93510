using System.CommandLine.Parsing;
using System.Globalization;

namespace PhoneAgent.CallReplay.Cli;

/// <summary>Durations on the command line: <c>500ms</c>, <c>3s</c>, <c>1.5s</c>, <c>5m</c>, <c>1h</c>, or bare seconds (<c>2.5</c>).</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * unit);
        return true;
    }

    /// <summary>A System.CommandLine parser for a <see cref="TimeSpan"/> option.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(token, out var value))
        {
            return value;
        }

        result.AddError($"\"{token}\" is not a duration (examples: 500ms, 3s, 1.5, 5m).");
        return default;
    }

    /// <summary>Like <see cref="Parse"/>, with <c>never</c> for <see langword="null"/>.</summary>
    public static TimeSpan? ParseOrNever(ArgumentResult result) =>
        result.Tokens.Count > 0 && string.Equals(result.Tokens[0].Value, "never", StringComparison.OrdinalIgnoreCase) ? null : Parse(result);
}
