using PhoneAgent.CallReplay.Twilio;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>
/// Where Twilio's behaviour is uncertain (protocol notes §10 and §1.2), the answer CallReplay plays. Each default is the
/// project's chosen answer; a test can try the others.
/// </summary>
public sealed record TwilioBehavior
{
    /// <summary>
    /// Whether a <c>stop</c> message is sent when the <b>server</b> closes a bidirectional stream (§10 item 3), before
    /// the close is answered. The default value is <see langword="false"/>: the server must not rely on hearing
    /// <c>stop</c> after it chose to end the stream (it already knows), and one who does breaks here.
    /// </summary>
    public bool StopBeforeServerClose { get; init; }

    /// <summary>
    /// Whether caller frames are left out while the caller is silent (§10 item 5; some Twilio calls send none). The
    /// default value is <see langword="false"/>: Twilio documents continuous 20 ms media, the common case.
    /// </summary>
    public bool DropSilence { get; init; }

    /// <summary>Length of one inbound <c>media</c> frame (§10 item 5). The default value is 20 ms (160 bytes).</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The most unplayed agent audio Twilio holds; audio beyond it is dropped (§10 item 4). The default value is
    /// <see langword="null"/>: Twilio documents buffering with no limit, so CallReplay invents none and measures the
    /// largest lead instead (<see cref="CallMeasurements.MaxOutboundBuffer"/>) for tests to bound.
    /// </summary>
    public TimeSpan? OutboundBufferCap { get; init; }

    /// <summary>
    /// Which URL string the WebSocket upgrade's <c>X-Twilio-Signature</c> signs (§10 item 2). The default value is
    /// <see cref="UpgradeSignatureVariant.Exact"/>, what Twilio's own agent SDK validates.
    /// </summary>
    public UpgradeSignatureVariant UpgradeSignature { get; init; } = UpgradeSignatureVariant.Exact;

    /// <summary>
    /// Whether a query string on the <c>&lt;Stream url&gt;</c> reaches the server (§1.2: reported dropped by some,
    /// passed by others). The default value is <see langword="false"/> (dropped): a server must not depend on it.
    /// </summary>
    public bool KeepStreamUrlQuery { get; init; }

    /// <summary>Whether <c>sequenceNumber</c>, <c>chunk</c> and <c>timestamp</c> are JSON strings, as in Twilio's
    /// examples (§2). The default value is <see langword="true"/>.</summary>
    public bool NumbersAsStrings { get; init; } = true;

    /// <summary>
    /// Whether a <c>ws://</c> stream URL is refused (error 31922) as Twilio does. The default value is
    /// <see langword="false"/>, so a local server without TLS can be reached; the warning is still recorded.
    /// </summary>
    public bool RequireWss { get; init; }
}
