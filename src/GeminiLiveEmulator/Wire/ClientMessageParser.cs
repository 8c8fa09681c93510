using System.Collections.Frozen;
using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>
/// The emulator's own reading of client frames (JsonDocument, no shared DTOs with the PhoneAgent client, so the two
/// cannot agree on the same wrong JSON). It accepts what the service accepts (camelCase and snake_case names, standard
/// and URL-safe base64, any PCM rate) and throws <see cref="ProtocolViolationException"/> for what it rejects.
/// </summary>
internal static partial class ClientMessageParser
{
    private static readonly FrozenSet<string> MessageTypes =
        FrozenSet.Create(StringComparer.Ordinal, "setup", "clientContent", "realtimeInput", "toolResponse");

    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8, LiveEndpoint endpoint)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw new ProtocolViolationException(CloseReasons.InvalidPayload, CloseReasons.InvalidJson, $"not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProtocolViolationException(CloseReasons.InvalidPayload, CloseReasons.InvalidJson, $"a client message must be a JSON object (got {root.ValueKind})");
            }

            string? type = null;
            JsonElement body = default;
            Span<char> buffer = stackalloc char[32];
            foreach (var property in root.EnumerateObject())
            {
                var name = JsonFields.FindCamel(property, MessageTypes, buffer)
                    ?? throw ProtocolViolationException.UnknownField(property.Name, "");

                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (type is not null)
                {
                    throw ProtocolViolationException.InvalidArgument($"one client message carries both {type} and {name}");
                }

                type = name;
                body = JsonFields.RequireObject(property.Value, JsonFields.ToSnake(name));
            }

            return type switch
            {
                "setup" => new SetupMessage(ParseSetup(body, endpoint)),
                "clientContent" => ParseClientContent(body),
                "realtimeInput" => ParseRealtimeInput(body, endpoint),
                "toolResponse" => ParseToolResponse(body, endpoint),
                _ => throw ProtocolViolationException.InvalidArgument("empty client message (none of setup, clientContent, realtimeInput, toolResponse)"),
            };
        }
    }

    /// <summary>Reads a proto enum given by name or number; returns null when absent.</summary>
    private static string? ReadEnum(JsonElement obj, string camelName, string protoPath, string[] values)
    {
        if (!JsonFields.TryGet(obj, camelName, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Array.IndexOf(values, value.GetString()) >= 0)
        {
            return value.GetString();
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var index) && index >= 0 && index < values.Length)
        {
            return values[index];
        }

        throw ProtocolViolationException.InvalidArgument($"invalid value at '{JsonFields.Join(protoPath, camelName)}': {value}");
    }

    private static byte[] ReadBase64(JsonElement obj, string camelName, string protoPath)
    {
        if (!JsonFields.TryGet(obj, camelName, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ProtocolViolationException.InvalidArgument($"'{JsonFields.Join(protoPath, camelName)}' must be a string (got {value.ValueKind})");
        }

        var bytes = Base64Data.TryDecode(value);
        return bytes ?? throw ProtocolViolationException.InvalidArgument($"'{JsonFields.Join(protoPath, camelName)}' is not base64");
    }
}
