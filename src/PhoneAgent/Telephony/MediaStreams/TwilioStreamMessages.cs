namespace PhoneAgent.Telephony.MediaStreams;

// Control messages of Twilio Media Streams (https://www.twilio.com/docs/voice/media-streams/websocket-messages).
// Numbers are read whether Twilio sends them as strings ("1") or numbers (1): see TwilioStreamJsonContext.
// `media` never goes through these types: TwilioStreamSerializer reads and writes it without allocating.

/// <summary><c>{"event":"connected","protocol":"Call","version":"1.0.0"}</c>: first message after the upgrade.</summary>
internal sealed class ConnectedMessage
{
    public string? Event { get; set; }

    public string? Protocol { get; set; }

    public string? Version { get; set; }
}

/// <summary><c>start</c>: once, before any media.</summary>
internal sealed class StartMessage
{
    public string? Event { get; set; }

    public long? SequenceNumber { get; set; }

    public string? StreamSid { get; set; }

    public StartPayload? Start { get; set; }
}

internal sealed class StartPayload
{
    public string? StreamSid { get; set; }

    public string? AccountSid { get; set; }

    public string? CallSid { get; set; }

    public IReadOnlyList<string>? Tracks { get; set; }

    /// <summary>The TwiML's <c>&lt;Parameter&gt;</c>s.</summary>
    public Dictionary<string, string>? CustomParameters { get; set; }

    public MediaFormat? MediaFormat { get; set; }
}

internal sealed class MediaFormat
{
    /// <summary><c>audio/x-mulaw</c>.</summary>
    public string? Encoding { get; set; }

    public int? SampleRate { get; set; }

    public int? Channels { get; set; }
}

/// <summary><c>dtmf</c>: a key press (bidirectional streams only).</summary>
internal sealed class DtmfMessage
{
    public string? Event { get; set; }

    public long? SequenceNumber { get; set; }

    public string? StreamSid { get; set; }

    public DtmfPayload? Dtmf { get; set; }
}

internal sealed class DtmfPayload
{
    public string? Track { get; set; }

    public string? Digit { get; set; }
}

/// <summary><c>mark</c>: in, the echo of a mark we sent; out, a mark after our audio.</summary>
internal sealed class MarkMessage
{
    public string? Event { get; set; }

    public long? SequenceNumber { get; set; }

    public string? StreamSid { get; set; }

    public MarkPayload? Mark { get; set; }
}

internal sealed class MarkPayload
{
    public string? Name { get; set; }
}

/// <summary><c>stop</c>: the stream ended (the call hung up, or the stream was stopped).</summary>
internal sealed class StopMessage
{
    public string? Event { get; set; }

    public long? SequenceNumber { get; set; }

    public string? StreamSid { get; set; }

    public StopPayload? Stop { get; set; }
}

internal sealed class StopPayload
{
    public string? AccountSid { get; set; }

    public string? CallSid { get; set; }
}

/// <summary>Outbound <c>clear</c>: Twilio drops its buffered audio and echoes every pending mark.</summary>
internal sealed class ClearMessage
{
    public string Event { get; set; } = "clear";

    public string? StreamSid { get; set; }
}
