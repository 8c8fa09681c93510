using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>
/// Proto3 JSON field access as the service does it: lowerCamelCase is canonical and the proto's snake_case names are
/// accepted too (the Python SDK sends <c>realtime_input</c>, <c>mime_type</c>); <c>null</c> means "not set"; fields
/// the proto does not have are rejected.
/// </summary>
internal static class JsonFields
{
    // Longest field name read without allocating; longer (or escaped, or non-ASCII) names take the string path.
    private const int MaxSpanName = 64;

    // Callers pass the proto's own field names (constants), so this stays as small as the proto.
    private static readonly ConcurrentDictionary<string, string> SnakeNames = new(StringComparer.Ordinal);

    public static bool TryGet(JsonElement obj, string camelName, out JsonElement value)
    {
        if ((obj.TryGetProperty(camelName, out value) || obj.TryGetProperty(ToSnake(camelName), out value))
            && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool Has(JsonElement obj, string camelName) => TryGet(obj, camelName, out _);

    /// <summary>Rejects the first field of <paramref name="obj"/> that is not in <paramref name="known"/> (camelCase names).</summary>
    public static void RejectUnknown(JsonElement obj, string protoPath, FrozenSet<string> known)
    {
        Span<char> buffer = stackalloc char[MaxSpanName];
        foreach (var property in obj.EnumerateObject())
        {
            if (FindCamel(property, known, buffer) is null)
            {
                throw ProtocolViolationException.UnknownField(property.Name, protoPath);
            }
        }
    }

    /// <summary>
    /// <paramref name="known"/>'s entry for the camelCase form of <paramref name="property"/>'s name (null when it has
    /// none), read from the name's UTF-8 where it can be (per-message fields: no string per property).
    /// </summary>
    public static string? FindCamel(JsonProperty property, FrozenSet<string> known, Span<char> buffer)
    {
        if (TryCamel(JsonMarshal.GetRawUtf8PropertyName(property), buffer, out var length))
        {
            return known.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(buffer[..length], out var name) ? name : null;
        }

        return known.TryGetValue(ToCamel(property.Name), out var found) ? found : null;
    }

    /// <summary><see cref="ToCamel"/> of a raw (still escaped) UTF-8 name; false for escaped, non-ASCII or long names.</summary>
    private static bool TryCamel(ReadOnlySpan<byte> utf8, Span<char> buffer, out int length)
    {
        length = 0;
        if (utf8.Length > buffer.Length)
        {
            return false;
        }

        var upper = false;
        foreach (var b in utf8)
        {
            if (b is >= 0x80 or (byte)'\\')
            {
                return false;
            }

            if (b == (byte)'_')
            {
                upper = true;
                continue;
            }

            var c = (char)b;
            buffer[length++] = upper ? char.ToUpperInvariant(c) : c;
            upper = false;
        }

        return true;
    }

    public static JsonElement RequireObject(JsonElement value, string protoPath)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ProtocolViolationException.InvalidArgument($"'{protoPath}' must be an object (got {value.ValueKind})");
        }

        return value;
    }

    public static JsonElement? GetObject(JsonElement obj, string camelName, string protoPath)
    {
        if (!TryGet(obj, camelName, out var value))
        {
            return null;
        }

        // The path is only built for the error.
        return value.ValueKind == JsonValueKind.Object ? value : RequireObject(value, Join(protoPath, camelName));
    }

    public static IEnumerable<JsonElement> GetArray(JsonElement obj, string camelName, string protoPath)
    {
        if (!TryGet(obj, camelName, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ProtocolViolationException.InvalidArgument($"'{Join(protoPath, camelName)}' must be an array (got {value.ValueKind})");
        }

        return value.EnumerateArray();
    }

    public static string? GetString(JsonElement obj, string camelName, string protoPath)
    {
        if (!TryGet(obj, camelName, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ProtocolViolationException.InvalidArgument($"'{Join(protoPath, camelName)}' must be a string (got {value.ValueKind})");
    }

    public static bool? GetBool(JsonElement obj, string camelName, string protoPath)
    {
        if (!TryGet(obj, camelName, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ProtocolViolationException.InvalidArgument($"'{Join(protoPath, camelName)}' must be a boolean (got {value.ValueKind})"),
        };
    }

    /// <summary>An integer field; int64 fields arrive as strings in proto JSON, int32 as numbers; both are accepted.</summary>
    public static long? GetInt64(JsonElement obj, string camelName, string protoPath)
    {
        if (!TryGet(obj, camelName, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), out number))
        {
            return number;
        }

        throw ProtocolViolationException.InvalidArgument($"'{Join(protoPath, camelName)}' must be an integer (got {value})");
    }

    public static string Join(string protoPath, string camelName) =>
        protoPath.Length == 0 ? ToSnake(camelName) : $"{protoPath}.{ToSnake(camelName)}";

    public static string ToSnake(string camel) => SnakeNames.GetOrAdd(camel, static c => SnakeOf(c));

    private static string SnakeOf(string camel)
    {
        var builder = new StringBuilder(camel.Length + 4);
        foreach (var c in camel)
        {
            if (char.IsUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string ToCamel(string name)
    {
        if (!name.Contains('_', StringComparison.Ordinal))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}
