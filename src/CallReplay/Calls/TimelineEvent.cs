namespace PhoneAgent.CallReplay.Calls;

/// <summary>Something that happened during a call, <paramref name="At"/> after the voice webhook was sent.</summary>
/// <param name="At">Call time.</param>
/// <param name="Kind">One of <see cref="TimelineKinds"/>.</param>
/// <param name="Text">A sentence for people.</param>
public sealed record TimelineEvent(TimeSpan At, string Kind, string Text)
{
    /// <summary>Machine-readable details (written to the JSONL timeline).</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = new Dictionary<string, object?>();
}

/// <summary>The kinds of <see cref="TimelineEvent"/>.</summary>
public static class TimelineKinds
{
    public const string Webhook = "webhook";
    public const string Twiml = "twiml";
    public const string Verb = "verb";
    public const string StreamConnecting = "stream.connecting";
    public const string StreamStarted = "stream.started";
    public const string StreamFailed = "stream.failed";
    public const string StreamStopped = "stream.stopped";
    public const string CallerSpeechStart = "caller.speech.start";
    public const string CallerSpeechEnd = "caller.speech.end";
    public const string Dtmf = "caller.dtmf";
    public const string AgentAudioStart = "agent.audio.start";
    public const string AgentAudioStop = "agent.audio.stop";
    public const string AgentInterrupted = "agent.interrupted";
    public const string Clear = "agent.clear";
    public const string Underrun = "agent.underrun";
    public const string ResponseLatency = "latency.response";
    public const string MarkReceived = "mark.received";
    public const string MarkEchoed = "mark.echoed";
    public const string Transfer = "transfer";
    public const string RestRequest = "rest";
    public const string Callback = "callback";
    public const string Warning = "warning";
    public const string CallEnded = "call.ended";
}
