using System.Text.Json;
using System.Text.Json.Nodes;

namespace PhoneAgent.Tests.Model.Testing;

/// <summary>Structural JSON comparison (trees, not strings): key order and whitespace do not matter.</summary>
public static class JsonAssert
{
    public static void Equivalent(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            var options = new JsonSerializerOptions { WriteIndented = true };
            Assert.Fail($"JSON trees differ.\nExpected:\n{Sorted(expected)?.ToJsonString(options)}\nActual:\n{Sorted(actual)?.ToJsonString(options)}");
        }
    }

    public static void Equivalent(JsonNode? expected, ReadOnlySpan<byte> actualUtf8) => Equivalent(expected, JsonNode.Parse(actualUtf8));

    /// <summary>The Python SDK's dialect → the canonical one: snake_case keys to camelCase, URL-safe base64 to standard.</summary>
    public static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Camel(p.Key), p.Key == "data" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? JsonValue.Create(StandardBase64(s)) : Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    private static string StandardBase64(string value) => value.Replace('-', '+').Replace('_', '/');

    private static string Camel(string key)
    {
        var parts = key.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
