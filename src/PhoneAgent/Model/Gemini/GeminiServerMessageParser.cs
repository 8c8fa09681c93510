using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// Parses one complete server message (UTF-8 JSON, whether it came in a text or a binary frame) with
/// <see cref="Utf8JsonReader"/>. Every field is read wherever it appears and in any order; unknown fields are skipped
/// and named in <see cref="GeminiServerMessage.IgnoredFields"/>. Audio is base64-decoded straight from the JSON bytes
/// into rented buffers; no string is made for it.
/// </summary>
internal static class GeminiServerMessageParser
{
    /// <summary>Output rate when the MIME type does not say (Vertex labels audio just <c>audio/pcm</c>).</summary>
    public const int DefaultOutputSampleRate = 24_000;

    /// <exception cref="GeminiProtocolException">Not a JSON object, or a known field has the wrong shape.</exception>
    public static void Parse(ReadOnlySpan<byte> utf8Json, GeminiServerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Reset();
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 128 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new GeminiProtocolException("A server message is not a JSON object.");
            }

            while (ReadProperty(ref reader))
            {
                message.IsEmpty = false;
                if (reader.ValueTextEquals("serverContent"u8))
                {
                    reader.Read();
                    ParseServerContent(ref reader, message);
                }
                else if (reader.ValueTextEquals("usageMetadata"u8))
                {
                    reader.Read();
                    message.Usage = ParseUsage(ref reader);
                }
                else if (reader.ValueTextEquals("setupComplete"u8))
                {
                    reader.Read();
                    ParseSetupComplete(ref reader, message);
                }
                else if (reader.ValueTextEquals("toolCall"u8))
                {
                    reader.Read();
                    ParseToolCall(ref reader, message);
                }
                else if (reader.ValueTextEquals("toolCallCancellation"u8))
                {
                    reader.Read();
                    ParseToolCallCancellation(ref reader, message);
                }
                else if (reader.ValueTextEquals("goAway"u8))
                {
                    reader.Read();
                    ParseGoAway(ref reader, message);
                }
                else if (reader.ValueTextEquals("sessionResumptionUpdate"u8))
                {
                    reader.Read();
                    ParseResumptionUpdate(ref reader, message);
                }
                else if (reader.ValueTextEquals("voiceActivity"u8))
                {
                    reader.Read();
                    ParseVoiceActivity(ref reader, message);
                }
                else if (reader.ValueTextEquals("voiceActivityDetectionSignal"u8))
                {
                    reader.Read();
                    ParseVadSignal(ref reader, message);
                }
                else
                {
                    Ignore(ref reader, message, "");
                }
            }
        }
        catch (JsonException ex)
        {
            message.Reset();
            // Not ex.Message: it quotes the offending text, which may be call content.
            throw new GeminiProtocolException($"A server message is not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine}).", ex);
        }
        catch (InvalidOperationException ex)
        {
            message.Reset();
            throw new GeminiProtocolException($"A server message has an unexpected shape: {ex.Message}", ex);
        }
        catch (GeminiProtocolException)
        {
            message.Reset();
            throw;
        }
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool ReadProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new GeminiProtocolException("A server message ends in the middle of an object.");
        }

        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new GeminiProtocolException($"Unexpected {reader.TokenType} in a server message."),
        };
    }

    private static void ExpectObject(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new GeminiProtocolException($"'{field}' must be an object, not {reader.TokenType}.");
        }
    }

    private static bool ExpectArray(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new GeminiProtocolException($"'{field}' must be an array, not {reader.TokenType}.");
        }

        return true;
    }

    private static void Ignore(ref Utf8JsonReader reader, GeminiServerMessage message, string parent)
    {
        if (message.IgnoredFields.Count < 16)
        {
            message.IgnoredFields.Add(parent + reader.GetString());
        }

        reader.Read();
        reader.Skip();
    }

    private static void ParseSetupComplete(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "setupComplete");
        message.SetupComplete = true;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("sessionId"u8))
            {
                reader.Read();
                message.SessionId = reader.GetString();
            }
            else
            {
                Ignore(ref reader, message, "setupComplete.");
            }
        }
    }

    private static void ParseServerContent(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "serverContent");
        message.HasServerContent = true;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("modelTurn"u8))
            {
                reader.Read();
                ParseModelTurn(ref reader, message);
            }
            else if (reader.ValueTextEquals("outputTranscription"u8))
            {
                reader.Read();
                message.OutputTranscription = ParseTranscription(ref reader, message, "outputTranscription");
            }
            else if (reader.ValueTextEquals("inputTranscription"u8))
            {
                reader.Read();
                message.InputTranscription = ParseTranscription(ref reader, message, "inputTranscription");
            }
            else if (reader.ValueTextEquals("generationComplete"u8))
            {
                reader.Read();
                message.GenerationComplete = ReadBool(ref reader);
            }
            else if (reader.ValueTextEquals("turnComplete"u8))
            {
                reader.Read();
                message.TurnComplete = ReadBool(ref reader);
            }
            else if (reader.ValueTextEquals("interrupted"u8))
            {
                reader.Read();
                message.Interrupted = ReadBool(ref reader);
            }
            else if (reader.ValueTextEquals("turnCompleteReason"u8))
            {
                reader.Read();
                message.TurnCompleteReason = reader.GetString();
            }
            else if (reader.ValueTextEquals("waitingForInput"u8))
            {
                reader.Read();
                message.WaitingForInput = ReadBool(ref reader);
            }
            else
            {
                // groundingMetadata, urlContextMetadata, interactionStatus, interimInputTranscription: not used on a phone line.
                Ignore(ref reader, message, "serverContent.");
            }
        }
    }

    private static void ParseModelTurn(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "modelTurn");
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("parts"u8))
            {
                reader.Read();
                if (!ExpectArray(ref reader, "modelTurn.parts"))
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ParsePart(ref reader, message);
                }
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                Ignore(ref reader, message, "modelTurn.");
            }
        }
    }

    private static void ParsePart(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "modelTurn.parts[]");
        string? text = null;
        var thought = false;
        var other = false;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("inlineData"u8))
            {
                reader.Read();
                ParseInlineData(ref reader, message);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                text = reader.GetString();
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                reader.Read();
                thought = ReadBool(ref reader);
            }
            else
            {
                // executableCode, codeExecutionResult, thoughtSignature, …
                other = true;
                reader.Read();
                reader.Skip();
            }
        }

        if (text is not null)
        {
            message.Texts.Add(new GeminiServerMessage.TextPart(text, thought));
        }
        else if (other)
        {
            message.OtherParts++;
        }
    }

    private static void ParseInlineData(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "inlineData");
        byte[]? buffer = null;
        var length = 0;
        string? mimeType = null;
        try
        {
            while (ReadProperty(ref reader))
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    (buffer, length) = DecodeBase64(ref reader);
                }
                else if (reader.ValueTextEquals("mimeType"u8))
                {
                    reader.Read();
                    mimeType = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (buffer is not null && IsAudio(mimeType))
            {
                message.AddAudio(buffer, length, SampleRate(mimeType));
                buffer = null;
            }
            else
            {
                message.OtherParts++;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static bool IsAudio(string? mimeType) =>
        mimeType is null || mimeType.StartsWith("audio/pcm", StringComparison.OrdinalIgnoreCase) || mimeType.StartsWith("audio/l16", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>rate=</c> parameter of the MIME type, else 24 kHz.</summary>
    internal static int SampleRate(string? mimeType)
    {
        var at = mimeType?.IndexOf("rate=", StringComparison.OrdinalIgnoreCase) ?? -1;
        if (at < 0)
        {
            return DefaultOutputSampleRate;
        }

        var digits = mimeType.AsSpan(at + 5);
        var end = digits.IndexOfAnyExceptInRange('0', '9');
        if (end >= 0)
        {
            digits = digits[..end];
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate > 0 ? rate : DefaultOutputSampleRate;
    }

    private static (byte[] Buffer, int Length) DecodeBase64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new GeminiProtocolException($"'inlineData.data' must be a base64 string, not {reader.TokenType}.");
        }

        byte[]? unescaped = null;
        try
        {
            ReadOnlySpan<byte> base64 = reader.ValueSpan;
            if (reader.ValueIsEscaped)
            {
                unescaped = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
                base64 = unescaped.AsSpan(0, reader.CopyString(unescaped));
            }

            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64.GetMaxDecodedFromUtf8Length(base64.Length)));
            if (Base64.DecodeFromUtf8(base64, buffer, out _, out var written) == OperationStatus.Done)
            {
                return (buffer, written);
            }

            // Some encoders use the URL-safe alphabet; accept it too.
            if (Base64Url.DecodeFromUtf8(base64, buffer, out _, out written) == OperationStatus.Done)
            {
                return (buffer, written);
            }

            ArrayPool<byte>.Shared.Return(buffer);
            throw new GeminiProtocolException("'inlineData.data' is not valid base64.");
        }
        finally
        {
            if (unescaped is not null)
            {
                ArrayPool<byte>.Shared.Return(unescaped);
            }
        }
    }

    private static GeminiServerMessage.Transcription ParseTranscription(ref Utf8JsonReader reader, GeminiServerMessage message, string field)
    {
        ExpectObject(ref reader, field);
        string? text = null;
        var finished = false;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                text = reader.GetString();
            }
            else if (reader.ValueTextEquals("finished"u8))
            {
                reader.Read();
                finished = ReadBool(ref reader);
            }
            else
            {
                // languageCode, speakerLabel, words (newer SDK fields).
                Ignore(ref reader, message, field + ".");
            }
        }

        return new GeminiServerMessage.Transcription(text, finished);
    }

    private static void ParseToolCall(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "toolCall");
        message.HasToolCall = true;
        while (ReadProperty(ref reader))
        {
            if (!reader.ValueTextEquals("functionCalls"u8))
            {
                Ignore(ref reader, message, "toolCall.");
                continue;
            }

            reader.Read();
            if (!ExpectArray(ref reader, "toolCall.functionCalls"))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                ExpectObject(ref reader, "toolCall.functionCalls[]");
                string? id = null;
                string? name = null;
                JsonElement args = default;
                while (ReadProperty(ref reader))
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        id = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("name"u8))
                    {
                        reader.Read();
                        name = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("args"u8))
                    {
                        reader.Read();
                        args = JsonElement.ParseValue(ref reader);
                    }
                    else
                    {
                        Ignore(ref reader, message, "toolCall.functionCalls[].");
                    }
                }

                if (string.IsNullOrEmpty(name))
                {
                    throw new GeminiProtocolException("A toolCall function call has no name.");
                }

                if (args.ValueKind == JsonValueKind.Undefined)
                {
                    args = EmptyObject;
                }

                message.FunctionCalls.Add(new GeminiServerMessage.FunctionCall(string.IsNullOrEmpty(id) ? null : id, name, args));
            }
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static void ParseToolCallCancellation(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "toolCallCancellation");
        message.HasToolCallCancellation = true;
        while (ReadProperty(ref reader))
        {
            if (!reader.ValueTextEquals("ids"u8))
            {
                Ignore(ref reader, message, "toolCallCancellation.");
                continue;
            }

            reader.Read();
            if (!ExpectArray(ref reader, "toolCallCancellation.ids"))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.GetString() is { Length: > 0 } id)
                {
                    message.CancelledCallIds.Add(id);
                }
            }
        }
    }

    private static void ParseGoAway(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "goAway");
        message.HasGoAway = true;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("timeLeft"u8))
            {
                reader.Read();
                message.GoAwayTimeLeft = ReadDuration(ref reader);
            }
            else
            {
                Ignore(ref reader, message, "goAway.");
            }
        }
    }

    private static void ParseResumptionUpdate(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "sessionResumptionUpdate");
        message.HasResumptionUpdate = true;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("newHandle"u8))
            {
                reader.Read();
                message.NewHandle = reader.GetString();
            }
            else if (reader.ValueTextEquals("resumable"u8))
            {
                reader.Read();
                message.Resumable = ReadBool(ref reader);
            }
            else if (reader.ValueTextEquals("lastConsumedClientMessageIndex"u8))
            {
                reader.Read();
                message.LastConsumedClientMessageIndex = ReadInt64(ref reader);
            }
            else
            {
                Ignore(ref reader, message, "sessionResumptionUpdate.");
            }
        }
    }

    private static void ParseVoiceActivity(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "voiceActivity");
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                message.VoiceActivityType = reader.GetString();
            }
            else if (reader.ValueTextEquals("audioOffset"u8))
            {
                reader.Read();
                message.VoiceActivityOffset = ReadDuration(ref reader);
            }
            else
            {
                Ignore(ref reader, message, "voiceActivity.");
            }
        }
    }

    private static void ParseVadSignal(ref Utf8JsonReader reader, GeminiServerMessage message)
    {
        ExpectObject(ref reader, "voiceActivityDetectionSignal");
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("vadSignalType"u8))
            {
                reader.Read();
                message.VoiceActivityType = reader.GetString();
            }
            else
            {
                Ignore(ref reader, message, "voiceActivityDetectionSignal.");
            }
        }
    }

    /// <summary>Both back ends' usage shapes: Developer API <c>response*</c>, Vertex <c>candidates*</c>.</summary>
    private static ModelUsage ParseUsage(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "usageMetadata");
        long prompt = 0, cached = 0, response = 0, toolUse = 0, thoughts = 0, total = 0;
        IReadOnlyList<ModelModalityTokens> promptDetails = [], cacheDetails = [], responseDetails = [], toolUseDetails = [];
        string? trafficType = null;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                reader.Read();
                prompt = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                reader.Read();
                cached = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("responseTokenCount"u8) || reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                reader.Read();
                response = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("toolUsePromptTokenCount"u8))
            {
                reader.Read();
                toolUse = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                reader.Read();
                thoughts = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("totalTokenCount"u8))
            {
                reader.Read();
                total = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("promptTokensDetails"u8))
            {
                reader.Read();
                promptDetails = ReadModalities(ref reader);
            }
            else if (reader.ValueTextEquals("cacheTokensDetails"u8))
            {
                reader.Read();
                cacheDetails = ReadModalities(ref reader);
            }
            else if (reader.ValueTextEquals("responseTokensDetails"u8) || reader.ValueTextEquals("candidatesTokensDetails"u8))
            {
                reader.Read();
                responseDetails = ReadModalities(ref reader);
            }
            else if (reader.ValueTextEquals("toolUsePromptTokensDetails"u8))
            {
                reader.Read();
                toolUseDetails = ReadModalities(ref reader);
            }
            else if (reader.ValueTextEquals("trafficType"u8))
            {
                reader.Read();
                trafficType = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ModelUsage
        {
            PromptTokens = prompt,
            CachedTokens = cached,
            ResponseTokens = response,
            ToolUsePromptTokens = toolUse,
            ThoughtsTokens = thoughts,
            TotalTokens = total,
            PromptByModality = promptDetails,
            CachedByModality = cacheDetails,
            ResponseByModality = responseDetails,
            ToolUsePromptByModality = toolUseDetails,
            TrafficType = trafficType,
        };
    }

    private static List<ModelModalityTokens> ReadModalities(ref Utf8JsonReader reader)
    {
        var list = new List<ModelModalityTokens>(2);
        if (!ExpectArray(ref reader, "usageMetadata details"))
        {
            return list;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ExpectObject(ref reader, "usageMetadata details[]");
            var modality = "MODALITY_UNSPECIFIED";
            long tokens = 0;
            while (ReadProperty(ref reader))
            {
                if (reader.ValueTextEquals("modality"u8))
                {
                    reader.Read();
                    modality = reader.GetString() ?? modality;
                }
                else if (reader.ValueTextEquals("tokenCount"u8))
                {
                    reader.Read();
                    tokens = ReadInt64(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            list.Add(new ModelModalityTokens(modality, tokens));
        }

        return list;
    }

    private static bool ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw new GeminiProtocolException($"Expected a boolean, got {reader.TokenType}."),
    };

    /// <summary>int64 arrives as a JSON string in proto3 JSON; int32 as a number. Accept both.</summary>
    private static long ReadInt64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetInt64(),
        JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        JsonTokenType.Null => 0,
        _ => throw new GeminiProtocolException($"Expected an integer, got {reader.TokenType}."),
    };

    private static TimeSpan? ReadDuration(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => ParseDuration(reader.GetString()),
        JsonTokenType.Number => TimeSpan.FromSeconds(reader.GetDouble()),
        _ => null,
    };

    /// <summary>A protobuf Duration in JSON: seconds with up to 9 decimals and an <c>s</c> suffix (<c>"50s"</c>, <c>"1.880s"</c>).</summary>
    internal static TimeSpan? ParseDuration(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.EndsWith('s'))
        {
            return null;
        }

        return decimal.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : null;
    }

    /// <summary>For logs: the first characters of a message that could not be parsed.</summary>
    internal static string Preview(ReadOnlySpan<byte> utf8, int maxChars = 120)
    {
        var text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, maxChars * 4)]);
        return text.Length <= maxChars ? text : text[..maxChars] + "…";
    }
}

/// <summary>A server message this client cannot understand.</summary>
public sealed class GeminiProtocolException : Exception
{
    public GeminiProtocolException()
    {
    }

    public GeminiProtocolException(string message)
        : base(message)
    {
    }

    public GeminiProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
