using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PhoneAgent.CallReplay.Streams;

/// <summary>
/// Writes the messages Twilio sends on a Media Stream, in the shapes and field order of Twilio's documented examples
/// (protocol notes §2): <c>connected</c>, <c>start</c>, <c>media</c>, <c>mark</c>, <c>dtmf</c>, <c>stop</c>.
/// </summary>
/// <remarks>
/// <c>sequenceNumber</c>, <c>media.chunk</c> and <c>media.timestamp</c> are JSON strings as in Twilio's examples, or numbers
/// when <see cref="NumbersAsStrings"/> is off (some typed clients declare them so; a server must read both).
/// </remarks>
public sealed class TwilioStreamWriter(bool numbersAsStrings = true) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter? _writer;

    public bool NumbersAsStrings { get; } = numbersAsStrings;

    /// <summary>The last message written (valid until the next write).</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public void Dispose() => _writer?.Dispose();

    public ReadOnlyMemory<byte> Connected()
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("event", "connected");
        w.WriteString("protocol", "Call");
        w.WriteString("version", "1.0.0");
        w.WriteEndObject();
        return End(w);
    }

    public ReadOnlyMemory<byte> Start(long sequence, StreamIdentity id, IEnumerable<KeyValuePair<string, string>> customParameters)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(customParameters);
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("event", "start");
        Number(w, "sequenceNumber", sequence);
        w.WriteStartObject("start");
        w.WriteString("accountSid", id.AccountSid);
        w.WriteString("streamSid", id.StreamSid);
        w.WriteString("callSid", id.CallSid);
        w.WriteStartArray("tracks");
        w.WriteStringValue("inbound");
        w.WriteEndArray();
        w.WriteStartObject("mediaFormat");
        w.WriteString("encoding", "audio/x-mulaw");
        w.WriteNumber("sampleRate", 8000);
        w.WriteNumber("channels", 1);
        w.WriteEndObject();
        w.WriteStartObject("customParameters");
        foreach (var (name, value) in customParameters)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("streamSid", id.StreamSid);
        w.WriteEndObject();
        return End(w);
    }

    public ReadOnlyMemory<byte> Media(long sequence, string streamSid, long chunk, long timestampMs, ReadOnlySpan<byte> muLaw)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("event", "media");
        Number(w, "sequenceNumber", sequence);
        w.WriteStartObject("media");
        w.WriteString("track", "inbound");
        Number(w, "chunk", chunk);
        Number(w, "timestamp", timestampMs);
        w.WriteBase64String("payload", muLaw);
        w.WriteEndObject();
        w.WriteString("streamSid", streamSid);
        w.WriteEndObject();
        return End(w);
    }

    public ReadOnlyMemory<byte> Mark(long sequence, string streamSid, string name)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("event", "mark");
        Number(w, "sequenceNumber", sequence);
        w.WriteString("streamSid", streamSid);
        w.WriteStartObject("mark");
        w.WriteString("name", name);
        w.WriteEndObject();
        w.WriteEndObject();
        return End(w);
    }

    public ReadOnlyMemory<byte> Dtmf(long sequence, string streamSid, char digit)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("event", "dtmf");
        w.WriteString("streamSid", streamSid);
        Number(w, "sequenceNumber", sequence);
        w.WriteStartObject("dtmf");
        w.WriteString("track", "inbound_track");
        w.WriteString("digit", digit.ToString());
        w.WriteEndObject();
        w.WriteEndObject();
        return End(w);
    }

    public ReadOnlyMemory<byte> Stop(long sequence, StreamIdentity id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("event", "stop");
        Number(w, "sequenceNumber", sequence);
        w.WriteString("streamSid", id.StreamSid);
        w.WriteStartObject("stop");
        w.WriteString("accountSid", id.AccountSid);
        w.WriteString("callSid", id.CallSid);
        w.WriteEndObject();
        w.WriteEndObject();
        return End(w);
    }

    /// <summary>One writer, reset for every message: no allocation per frame beyond the base64 text.</summary>
    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer);
        }
        else
        {
            _writer.Reset(_buffer);
        }

        return _writer;
    }

    private ReadOnlyMemory<byte> End(Utf8JsonWriter w)
    {
        w.Flush();
        return _buffer.WrittenMemory;
    }

    private void Number(Utf8JsonWriter w, string name, long value)
    {
        if (NumbersAsStrings)
        {
            w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNumber(name, value);
        }
    }
}

/// <summary>Who a stream belongs to.</summary>
public sealed record StreamIdentity(string AccountSid, string CallSid, string StreamSid);
