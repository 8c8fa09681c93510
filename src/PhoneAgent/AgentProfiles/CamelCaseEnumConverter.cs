using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Strict string enum converter: only the camelCase member names, no numbers, no other casing. A bad value fails with
/// a message that lists the allowed values; System.Text.Json adds the JSON path.
/// </summary>
internal sealed class CamelCaseEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();

    private static readonly FrozenDictionary<string, TEnum> ByName =
        Values.ToFrozenDictionary(NameOf, StringComparer.Ordinal);

    /// <summary>The allowed JSON values, quoted, in declaration order: <c>"enqueue", "dial", "hangup"</c>.</summary>
    public static string AllowedValues { get; } = string.Join(", ", Values.Select(v => $"\"{NameOf(v)}\""));

    public override bool HandleNull => true;

    public static string NameOf(TEnum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value))
        {
            return value;
        }

        var got = reader.TokenType switch
        {
            JsonTokenType.String => $"\"{reader.GetString()}\"",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            _ => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        };
        throw new JsonException($"must be one of {AllowedValues} (got {got})");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(NameOf(value));
    }
}
