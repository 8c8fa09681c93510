using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// UTF-8 JSON ↔ Media Streams messages. <c>media</c> is read with <see cref="Utf8JsonReader"/> and written with
/// <see cref="Utf8JsonWriter"/>, base64 straight from/into the caller's buffers: no allocation per frame. Control
/// messages go through the source-generated <see cref="TwilioStreamJsonContext"/>.
/// </summary>
internal static class TwilioStreamSerializer
{
    private static readonly JsonEncodedText EventProperty = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText StreamSidProperty = JsonEncodedText.Encode("streamSid");
    private static readonly JsonEncodedText MediaProperty = JsonEncodedText.Encode("media");
    private static readonly JsonEncodedText PayloadProperty = JsonEncodedText.Encode("payload");
    private static readonly JsonEncodedText MediaEvent = JsonEncodedText.Encode("media");

    /// <summary>Reads the event name and, for <c>media</c>, every field (the payload as a range into <paramref name="json"/>).</summary>
    /// <returns>The event; <see cref="InboundEvent.Malformed"/> for bad JSON or a <c>media</c> without payload.</returns>
    public static InboundEvent Read(ReadOnlySpan<byte> json, out MediaFields media)
    {
        media = MediaFields.Empty;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return InboundEvent.Malformed;
            }

            var kind = InboundEvent.Malformed;
            var sawEvent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    sawEvent = reader.TokenType == JsonTokenType.String;
                    kind = !sawEvent ? InboundEvent.Malformed : EventOf(ref reader);
                }
                else if (reader.ValueTextEquals("sequenceNumber"u8))
                {
                    reader.Read();
                    media.SequenceNumber = ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("streamSid"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        media.StreamSid = new TokenRange((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
                    }
                }
                else if (reader.ValueTextEquals("media"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    ReadMediaObject(ref reader, ref media);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!sawEvent || !reader.IsFinalBlock || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return InboundEvent.Malformed;
            }

            return kind == InboundEvent.Media && media.Payload.Length < 0 ? InboundEvent.Malformed : kind;
        }
        catch (JsonException)
        {
            return InboundEvent.Malformed;
        }
    }

    /// <summary>An upper bound of the decoded payload size, to size the destination buffer.</summary>
    public static int MaxPayloadBytes(in MediaFields media) => Base64.GetMaxDecodedFromUtf8Length(Math.Max(0, media.Payload.Length));

    /// <summary>Decodes <c>media.payload</c> into <paramref name="destination"/>; <see langword="false"/> for bad base64.</summary>
    public static bool TryDecodePayload(ReadOnlySpan<byte> json, in MediaFields media, Span<byte> destination, out int written)
    {
        written = 0;
        var range = media.Payload;
        if (range.Length < 0)
        {
            return false;
        }

        var encoded = json.Slice(range.Start, range.Length);
        if (!range.Escaped)
        {
            return Base64.DecodeFromUtf8(encoded, destination, out _, out written) == OperationStatus.Done;
        }

        // Rare: a JSON escape inside the payload ("\/" for "/"). Unescape into a rented buffer first.
        var rented = ArrayPool<byte>.Shared.Rent(range.Length);
        try
        {
            var reader = new Utf8JsonReader(json[(range.Start - 1)..]);
            reader.Read();
            var length = reader.CopyString(rented);
            return Base64.DecodeFromUtf8(rented.AsSpan(0, length), destination, out _, out written) == OperationStatus.Done;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether the message's <c>streamSid</c> is <paramref name="expectedUtf8"/> (absent counts as a match).</summary>
    public static bool StreamSidMatches(ReadOnlySpan<byte> json, in MediaFields media, ReadOnlySpan<byte> expectedUtf8)
    {
        var range = media.StreamSid;
        return range.Length < 0 || (!range.Escaped && json.Slice(range.Start, range.Length).SequenceEqual(expectedUtf8));
    }

    /// <summary>Deserializes a control message; <see langword="null"/> when it does not fit the contract.</summary>
    public static T? ReadControl<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes <c>{"event":"media","streamSid":…,"media":{"payload":"&lt;base64&gt;"}}</c>.</summary>
    public static void WriteMedia(Utf8JsonWriter writer, string streamSid, ReadOnlySpan<byte> muLaw)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString(EventProperty, MediaEvent);
        writer.WriteString(StreamSidProperty, streamSid);
        writer.WriteStartObject(MediaProperty);
        writer.WriteBase64String(PayloadProperty, muLaw);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Writes <c>{"event":"mark","streamSid":…,"mark":{"name":…}}</c>.</summary>
    public static void WriteMark(Utf8JsonWriter writer, string streamSid, string name)
    {
        var message = new MarkMessage { Event = "mark", StreamSid = streamSid, Mark = new MarkPayload { Name = name } };
        JsonSerializer.Serialize(writer, message, TwilioStreamJsonContext.Default.MarkMessage);
        writer.Flush();
    }

    /// <summary>Writes <c>{"event":"clear","streamSid":…}</c>.</summary>
    public static void WriteClear(Utf8JsonWriter writer, string streamSid)
    {
        JsonSerializer.Serialize(writer, new ClearMessage { StreamSid = streamSid }, TwilioStreamJsonContext.Default.ClearMessage);
        writer.Flush();
    }

    private static InboundEvent EventOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("media"u8) ? InboundEvent.Media
        : reader.ValueTextEquals("mark"u8) ? InboundEvent.Mark
        : reader.ValueTextEquals("dtmf"u8) ? InboundEvent.Dtmf
        : reader.ValueTextEquals("start"u8) ? InboundEvent.Start
        : reader.ValueTextEquals("stop"u8) ? InboundEvent.Stop
        : reader.ValueTextEquals("connected"u8) ? InboundEvent.Connected
        : InboundEvent.Unknown;

    private static void ReadMediaObject(ref Utf8JsonReader reader, ref MediaFields media)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    media.Payload = new TokenRange((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
                }
            }
            else if (reader.ValueTextEquals("chunk"u8))
            {
                reader.Read();
                media.Chunk = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                media.Timestamp = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("track"u8))
            {
                reader.Read();
                media.OutboundTrack = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("outbound"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>A number sent as a JSON number or a string; -1 when absent or not an integer.</summary>
    private static long ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
            && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length)
        {
            return parsed;
        }

        reader.Skip();
        return -1;
    }
}

/// <summary>The <c>event</c> of an inbound message.</summary>
internal enum InboundEvent
{
    Malformed,
    Unknown,
    Connected,
    Start,
    Media,
    Dtmf,
    Mark,
    Stop,
}

/// <summary>Where a string value sits in the message (inside the quotes); <see cref="Length"/> is -1 when absent.</summary>
internal readonly record struct TokenRange(int Start, int Length, bool Escaped)
{
    public static readonly TokenRange None = new(0, -1, false);
}

/// <summary>The fields of a <c>media</c> message; numbers are -1 when absent.</summary>
internal struct MediaFields
{
    public static readonly MediaFields Empty = new()
    {
        SequenceNumber = -1,
        Chunk = -1,
        Timestamp = -1,
        Payload = TokenRange.None,
        StreamSid = TokenRange.None,
    };

    public long SequenceNumber;
    public long Chunk;
    public long Timestamp;
    public bool OutboundTrack;
    public TokenRange Payload;
    public TokenRange StreamSid;
}
