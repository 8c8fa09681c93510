namespace PhoneAgent.Bridge;

/// <summary>The bridge between a phone call and its model session, section <c>Bridge</c>. Validated at start.</summary>
internal sealed class BridgeOptions
{
    public const string SectionName = "Bridge";

    /// <summary>
    /// How far ahead of real time agent audio is sent to Twilio: enough that its buffer never runs dry, small enough
    /// that little has to be cleared on barge-in; 40..1000 ms.
    /// </summary>
    /// <value>The default value is 200 ms.</value>
    public TimeSpan PlayoutLead { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// At the start of a talk spurt (Twilio's buffer empty) agent audio waits here until this much is queued, its turn
    /// has ended, or <see cref="PlayoutStartMaxWait"/> has passed: Twilio then starts with a cushion instead of one short
    /// model chunk (~62 ms on Gemini 2.5) that a pause of the service or the network would empty; 0 (off)..<see cref="PlayoutLead"/>.
    /// </summary>
    /// <value>The default value is 100 ms.</value>
    public TimeSpan PlayoutStartBuffer { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest the first frame of a talk spurt waits for <see cref="PlayoutStartBuffer"/> (the latency it may add); 0..200 ms.</summary>
    /// <value>The default value is 40 ms.</value>
    public TimeSpan PlayoutStartMaxWait { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Caller frames sent to the model per message, 1..5 (1 = each 20 ms frame at once, the lowest latency).</summary>
    /// <value>The default value is 1 (batching off).</value>
    public int UpstreamBatchFrames { get; set; } = 1;

    /// <summary>No caller frame for this long (some calls send none during silence): the bridge sends silence itself, so the model's voice activity detection sees the pause; 40..1000 ms.</summary>
    /// <value>The default value is 100 ms.</value>
    public TimeSpan SilenceFillAfter { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No caller frame for this long: <c>audioStreamEnd</c> is sent and silence filling stops until audio comes again; more than <see cref="SilenceFillAfter"/>, at most 10 s.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan AudioStreamEndAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Agent audio held for pacing; beyond it the oldest frames are dropped and counted; 5 s..10 min.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MaxBufferedAgentAudio { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Calls this instance runs at once (admitted at the voice webhook); beyond it a caller gets the profile's fallback; 1..10000.</summary>
    /// <value>The default value is 50.</value>
    public int MaxConcurrentCalls { get; set; } = 50;

    /// <summary>Where the "what the caller heard" note goes after a barge-in.</summary>
    /// <value>The default value is <see cref="HeardTextNotePlacement.Immediate"/>.</value>
    public HeardTextNotePlacement HeardTextNote { get; set; } = HeardTextNotePlacement.Immediate;

    /// <summary>Time the model session gets to close cleanly when the call ends.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public static string Key(string property) => $"{SectionName}:{property}";
}

/// <summary>
/// Where the heard-text note (<c>clientContent</c>, role <c>model</c>, <c>turnComplete: false</c>) goes after a barge-in.
/// </summary>
internal enum HeardTextNotePlacement
{
    /// <summary>
    /// At once, right after <c>clear</c>: no generation runs then (the caller has just started speaking), and the note
    /// is in the context before the model answers the caller. If the model has already started a newer turn, the note
    /// waits for that turn's <c>turnComplete</c>.
    /// </summary>
    Immediate = 1,

    /// <summary>After the next <c>turnComplete</c>, for models that treat content during a caller turn as an interruption.</summary>
    AfterNextTurnComplete = 2,

    /// <summary>Never sent (the transcript still records what was heard).</summary>
    Off = 3,
}
