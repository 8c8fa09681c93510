using System.Net.WebSockets;
using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Wav;
using PhoneAgent.CallReplay.Playback;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>Everything one simulated call produced.</summary>
public sealed class CallResult
{
    public required string CallSid { get; init; }

    public required string AccountSid { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary>When the voice webhook was sent (wall clock of the caller's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>From the voice webhook to the end of the call.</summary>
    public required TimeSpan Duration { get; init; }

    public required CallEndReason EndReason { get; init; }

    /// <summary>Why the call failed, for <see cref="CallEndReason.ApplicationError"/> and the like.</summary>
    public string? Error { get; init; }

    public required IReadOnlyList<StreamResult> Streams { get; init; }

    /// <summary>The agent's turns as the caller heard them.</summary>
    public required IReadOnlyList<AgentTurn> AgentTurns { get; init; }

    /// <summary>Each 20 ms of agent audio heard, with the turn it came from.</summary>
    public required IReadOnlyList<HeardFrame> HeardFrames { get; init; }

    /// <summary>Every chunk of agent audio received, over all streams, with its fate.</summary>
    public required IReadOnlyList<PlayedChunk> Chunks { get; init; }

    /// <summary>Every <c>&lt;Dial&gt;</c> or <c>&lt;Enqueue&gt;</c>: "transferred to X".</summary>
    public required IReadOnlyList<Transfer> Transfers { get; init; }

    /// <summary>The TwiML verbs carried out, in order (<see cref="Twiml.TwimlParser.Describe"/>).</summary>
    public required IReadOnlyList<string> Verbs { get; init; }

    /// <summary>Twilio errors and warnings the server caused (31951 invalid message, 11200 webhook failure, …).</summary>
    public required IReadOnlyList<TwilioWarning> Warnings { get; init; }

    /// <summary>Status callbacks sent and how they were answered.</summary>
    public required IReadOnlyList<CallbackResult> Callbacks { get; init; }

    public required CallMeasurements Measurements { get; init; }

    public required IReadOnlyList<TimelineEvent> Timeline { get; init; }

    /// <summary>
    /// What the caller heard, 8 kHz μ-law from the start of the call (silence where nothing played); empty when
    /// <see cref="FakeTwilioCallerOptions.KeepHeardAudio"/> is off.
    /// </summary>
    public required ReadOnlyMemory<byte> Heard { get; init; }

    /// <summary>Writes <see cref="Heard"/> as 8 kHz 16-bit PCM WAV.</summary>
    public void WriteHeardWav(string path)
    {
        var pcm = new short[Heard.Length];
        MuLaw.Decode(Heard.Span, pcm);
        WavFile.WritePcm16(path, 8000, pcm);
    }

    /// <summary>Writes <see cref="Timeline"/> as JSON lines.</summary>
    public void WriteTimeline(string path)
    {
        using var file = File.Create(path);
        CallTimeline.WriteJsonl(file, Timeline);
    }
}

/// <summary>One media stream of a call.</summary>
public sealed record StreamResult
{
    /// <summary>1-based order in the call.</summary>
    public required int Number { get; init; }

    public required string StreamSid { get; init; }

    /// <summary>The stream URL as the TwiML gave it (public form).</summary>
    public required string Url { get; init; }

    /// <summary>The URL actually connected to.</summary>
    public required string ConnectedUrl { get; init; }

    /// <summary>What <c>start.customParameters</c> carried.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> CustomParameters { get; init; }

    /// <summary>When <c>start</c> was sent (call time; the attempt time when the stream never started).</summary>
    public required TimeSpan Started { get; init; }

    public required TimeSpan Ended { get; init; }

    public required StreamEndedBy EndedBy { get; init; }

    /// <summary>The HTTP status of a refused upgrade.</summary>
    public int? HandshakeStatus { get; init; }

    /// <summary>The close the server sent, if it closed.</summary>
    public WebSocketCloseStatus? CloseStatus { get; init; }

    public string? CloseDescription { get; init; }

    /// <summary>Whether <c>stop</c> was sent.</summary>
    public bool StopSent { get; init; }

    public long MediaFramesSent { get; init; }

    /// <summary>Frames left out during the caller's silence (<see cref="TwilioBehavior.DropSilence"/>).</summary>
    public long MediaFramesSuppressed { get; init; }

    public int MarksReceived { get; init; }

    /// <summary>The names of the marks received, in order (kept even when the timeline leaves marks out).</summary>
    public IReadOnlyList<string> MarkNames { get; init; } = [];

    public int MarksEchoedPlayed { get; init; }

    public int MarksEchoedCleared { get; init; }

    public int Clears { get; init; }

    public int InvalidMessages { get; init; }

    public int BinaryMessages { get; init; }

    /// <summary>The largest amount of agent audio buffered at once.</summary>
    public TimeSpan MaxBuffered { get; init; }

    /// <summary>Agent audio still buffered when the stream ended, never heard.</summary>
    public TimeSpan DroppedAtEnd { get; init; }
}

/// <summary>A <c>&lt;Dial&gt;</c> or <c>&lt;Enqueue&gt;</c>.</summary>
/// <param name="At">Call time.</param>
/// <param name="Verb"><c>Dial</c> or <c>Enqueue</c>.</param>
/// <param name="Target">Who or which queue.</param>
/// <param name="Outcome"><c>DialCallStatus</c> or <c>QueueResult</c>.</param>
public sealed record Transfer(TimeSpan At, string Verb, string Target, string Outcome)
{
    public override string ToString() => $"transferred to {Target} ({Verb}: {Outcome})";
}

/// <summary>A Twilio error or warning, with its code (https://www.twilio.com/docs/api/errors/CODE).</summary>
public sealed record TwilioWarning(TimeSpan At, int Code, string Message);

/// <summary>A status callback CallReplay sent.</summary>
/// <param name="At">Call time.</param>
/// <param name="Kind"><c>call-status</c> or <c>stream-status</c>.</param>
/// <param name="Event"><c>CallStatus</c> or <c>StreamEvent</c>.</param>
/// <param name="Url">The public URL requested.</param>
/// <param name="StatusCode">The answer's HTTP status (0 when none came).</param>
/// <param name="Error">Why no answer came.</param>
public sealed record CallbackResult(TimeSpan At, string Kind, string Event, Uri Url, int StatusCode, string? Error);
