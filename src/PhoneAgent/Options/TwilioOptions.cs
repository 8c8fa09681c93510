namespace PhoneAgent.Options;

/// <summary>Twilio settings, section <c>Twilio</c>. Validated by <see cref="TwilioOptionsValidator"/>.</summary>
/// <remarks>
/// ⚠️ <see cref="AuthToken"/>, <see cref="SecondaryAuthToken"/> and <see cref="ApiKeySecret"/> are secrets: they are logged
/// only as set or not set. In the Development environment an unset <see cref="AuthToken"/> means
/// <see cref="Telephony.TwilioDefaults.DevelopmentAuthToken"/> (what CallReplay signs with), and an unset
/// <see cref="AccountSid"/> means <see cref="Telephony.TwilioDefaults.DevelopmentAccountSid"/>; see
/// <see cref="Telephony.TwilioCredentials"/>.
/// </remarks>
internal sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    /// <summary>The account (<c>AC…</c>) whose calls this service answers; the stream's <c>start.accountSid</c> must match.</summary>
    /// <value>Required outside Development. The default value is <see langword="null"/>.</value>
    public string? AccountSid { get; set; }

    /// <summary>Secret used to check <c>X-Twilio-Signature</c> (and, without an API key, REST credentials). ⚠️ A secret.</summary>
    /// <value>Required outside Development. The default value is <see langword="null"/>.</value>
    public string? AuthToken { get; set; }

    /// <summary>A second accepted signing token, so the auth token can be rotated without dropping calls. ⚠️ A secret.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SecondaryAuthToken { get; set; }

    /// <summary>API key (<c>SK…</c>) for REST call control; with <see cref="ApiKeySecret"/> it replaces the auth token there.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKeySid { get; set; }

    /// <summary>Secret of <see cref="ApiKeySid"/>. ⚠️ A secret.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKeySecret { get; set; }

    /// <summary>
    /// Where REST calls go instead of <c>https://api.twilio.com</c> (tests and CallReplay's fake Twilio). Requests keep
    /// their path and query; scheme, host, port and any path prefix come from this URL.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (Twilio itself).</value>
    public string? ApiBaseUrl { get; set; }

    /// <summary>What a bad or missing <c>X-Twilio-Signature</c> on the media WebSocket upgrade does.</summary>
    /// <value>The default value is <see cref="StreamSignatureMode.Enforce"/>.</value>
    public StreamSignatureMode StreamSignature { get; set; } = StreamSignatureMode.Enforce;

    /// <summary>
    /// ⚠️ Development switch: <see langword="false"/> skips every signature check. The service refuses to start with it
    /// off outside the Development environment.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ValidateRequests { get; set; } = true;

    /// <summary>How many times one call may get a new stream after its stream ended with no decision (0..10).</summary>
    /// <value>The default value is 2.</value>
    public int MaxReconnects { get; set; } = 2;

    /// <summary>How long after the WebSocket is accepted the <c>start</c> message may take (00:00:00.5..00:01:00).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan StreamStartTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stream token from the TwiML stays valid (00:00:05..00:10:00).</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan StreamTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest WebSocket message accepted from Twilio, in bytes (4096..1048576); beyond it the socket closes with 1009.</summary>
    /// <value>The default value is 65536.</value>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    public static string Key(string property) => $"{SectionName}:{property}";
}

/// <summary><c>Twilio:StreamSignature</c>.</summary>
internal enum StreamSignatureMode
{
    /// <summary>A bad or missing signature gets 403 before the socket is accepted.</summary>
    Enforce = 0,

    /// <summary>
    /// The upgrade is accepted and the result only counted and logged (Twilio's exact signing of the upgrade is not
    /// documented); the single-use stream token in <c>start</c> still gates the call.
    /// </summary>
    ReportOnly = 1,
}
