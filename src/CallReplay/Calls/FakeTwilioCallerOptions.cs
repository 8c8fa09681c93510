using System.Net.WebSockets;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>How <see cref="FakeTwilioCaller"/> places a call. Defaults follow Twilio where it is documented and
/// <see cref="TwilioBehavior"/> where it is not.</summary>
public sealed record FakeTwilioCallerOptions
{
    /// <summary>Where the voice webhook is sent (the address CallReplay reaches).</summary>
    public required Uri WebhookUrl { get; init; }

    /// <summary>
    /// The voice URL as Twilio would request it (the number's configured Voice URL): the webhook signature covers it,
    /// and every URL in the TwiML under the same base is mapped back onto <see cref="WebhookUrl"/>'s base.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (the same as <see cref="WebhookUrl"/>).</value>
    public Uri? PublicUrl { get; init; }

    /// <summary>The auth token signatures are made with. The default value is <see cref="CallReplayDefaults.DevelopmentAuthToken"/>.</summary>
    public string AuthToken { get; init; } = CallReplayDefaults.DevelopmentAuthToken;

    /// <summary>The default value is <see cref="CallReplayDefaults.DevelopmentAccountSid"/>.</summary>
    public string AccountSid { get; init; } = CallReplayDefaults.DevelopmentAccountSid;

    /// <summary>The call's id. The default value is <see langword="null"/> (a new random <c>CA…</c>).</summary>
    public string? CallSid { get; init; }

    public string From { get; init; } = CallReplayDefaults.From;

    public string To { get; init; } = CallReplayDefaults.To;

    /// <summary>Method of the voice webhook. The default value is POST.</summary>
    public string WebhookMethod { get; init; } = "POST";

    /// <summary>
    /// The number's call status callback (public form), signed like every webhook. The default value is
    /// <see langword="null"/> (none); <see cref="ForPhoneAgent"/> sets PhoneAgent's.
    /// </summary>
    public Uri? CallStatusUrl { get; init; }

    /// <summary>Which call progress events are sent to <see cref="CallStatusUrl"/>: <c>initiated</c>, <c>ringing</c>,
    /// <c>answered</c>, <c>completed</c>. A number's status callback gets only <c>completed</c>, the default.</summary>
    public IReadOnlyList<string> CallStatusEvents { get; init; } = ["completed"];

    /// <summary>The answers CallReplay plays where Twilio's behaviour is uncertain.</summary>
    public TwilioBehavior Behavior { get; init; } = new();

    /// <summary>What a dialled party (or the human behind a queue) does. The default value is <see cref="DialOutcome.Completed"/>.</summary>
    public DialOutcome DialOutcome { get; init; } = DialOutcome.Completed;

    /// <summary>How long an answered <c>&lt;Dial&gt;</c> talks before the other party hangs up. The default value is 5 seconds.</summary>
    public TimeSpan DialTalkTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the dialled party rings before answering (or being busy). The default value is 2 seconds.</summary>
    public TimeSpan DialRingTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The caller hangs up this long after both the recording has ended and the agent has gone quiet.
    /// The default value is 3 seconds; <see langword="null"/> means never (the server must end the call).
    /// </summary>
    public TimeSpan? HangupAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The call ends here whatever happens. The default value is 5 minutes.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Scales the time non-stream verbs take (<c>&lt;Say&gt;</c>, <c>&lt;Play&gt;</c>, <c>&lt;Pause&gt;</c>, ringing,
    /// an answered <c>&lt;Dial&gt;</c>). The default value is 1 (real time); 0 makes them instant, for tests.
    /// </summary>
    public double TwimlTimeScale { get; init; } = 1;

    /// <summary>Estimated speaking time per word of a <c>&lt;Say&gt;</c>. The default value is 350 ms.</summary>
    public TimeSpan SayWordDuration { get; init; } = TimeSpan.FromMilliseconds(350);

    /// <summary>Assumed length of a <c>&lt;Play&gt;</c> (CallReplay does not fetch the audio). The default value is 2 seconds.</summary>
    public TimeSpan PlayDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Untagged agent audio after at least this much silence starts a new agent turn. The default value is 500 ms.</summary>
    public TimeSpan TurnGap { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Keys the caller presses, at times in the recording.</summary>
    public IReadOnlyList<DtmfPress> Dtmf { get; init; } = [];

    /// <summary>How long a TwiML webhook may take (Twilio allows 15 s). The default value is 15 seconds.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the WebSocket handshake may take (31901 after). The default value is 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After CallReplay closes a stream, how long the server has to answer the close. The default value is 2 seconds.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether what the caller heard is kept for <see cref="CallResult.Heard"/> (8 KB per call-second). The load tool
    /// turns it off: it never reads the audio, and hundreds of calls' buffers only fed its garbage collector, whose pauses
    /// made its 20 ms frames late. The default value is <see langword="true"/>.
    /// </summary>
    public bool KeepHeardAudio { get; init; } = true;

    /// <summary>
    /// Whether each mark received and echoed is a timeline event. The load tool turns it off: marks are nine in ten of a
    /// call's events, each with its text and data kept for the whole call, and at hundreds of calls that memory, copied
    /// by every collection, paused the generator for longer than its 5 ms lateness budget. The counts and names stay on
    /// <see cref="StreamResult"/>. The default value is <see langword="true"/>.
    /// </summary>
    public bool TimelineMarks { get; init; } = true;

    /// <summary>Whether tone turn tags are looked for (<see cref="Playback.TurnTags"/>). The default value is <see langword="true"/>.</summary>
    public bool DetectToneTags { get; init; } = true;

    /// <summary>
    /// Fault injection: the connection of a stream breaks (no close, no <c>stop</c>) this long after it started, as a
    /// network loss would; Twilio logs 31903 and goes on with the TwiML (<c>&lt;Connect action&gt;</c>). The default value
    /// is <see langword="null"/> (no fault).
    /// </summary>
    public TimeSpan? AbortStreamAfter { get; init; }

    /// <summary>How many of the call's streams <see cref="AbortStreamAfter"/> breaks (the first ones). The default value is 1.</summary>
    public int AbortStreamCount { get; init; } = 1;

    /// <summary>Most TwiML documents one call may run (Redirect loops). The default value is 50.</summary>
    public int MaxDocuments { get; init; } = 50;

    /// <summary>Called for every timeline event as it happens (live printing). Called on I/O threads; keep it fast.</summary>
    public Action<TimelineEvent>? OnEvent { get; init; }

    /// <summary>
    /// Called for every caller frame with how late it went out against its 20 ms deadline (the load tool aggregates the
    /// generator's lateness over all calls). Called on the send loop; keep it fast. The default value is <see langword="null"/>.
    /// </summary>
    public Action<TimeSpan>? OnSendLateness { get; init; }

    /// <summary>
    /// Opens the media WebSocket: (URL, <c>X-Twilio-Signature</c> or null, token). The default value is
    /// <see langword="null"/>: a <see cref="ClientWebSocket"/> (tests may connect to an in-memory server instead).
    /// </summary>
    public Func<Uri, string?, CancellationToken, Task<WebSocket>>? WebSocketConnector { get; init; }

    /// <summary>
    /// Options for a PhoneAgent at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:5050</c>): its voice webhook and
    /// its call status callback, with <paramref name="publicBaseUrl"/> (its <c>PhoneAgent:PublicBaseUrl</c>) as the
    /// URLs Twilio would use.
    /// </summary>
    public static FakeTwilioCallerOptions ForPhoneAgent(Uri baseUrl, Uri? publicBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var publicBase = publicBaseUrl ?? baseUrl;
        return new FakeTwilioCallerOptions
        {
            WebhookUrl = Combine(baseUrl, CallReplayDefaults.VoicePath),
            PublicUrl = publicBaseUrl is null ? null : Combine(publicBase, CallReplayDefaults.VoicePath),
            CallStatusUrl = Combine(publicBase, CallReplayDefaults.CallStatusPath),
        };
    }

    /// <summary><paramref name="baseUrl"/> (with or without a trailing slash or path prefix) + <paramref name="path"/>.</summary>
    public static Uri Combine(Uri baseUrl, string path)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new Uri(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);
    }
}
