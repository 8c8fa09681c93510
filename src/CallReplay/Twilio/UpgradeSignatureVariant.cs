namespace PhoneAgent.CallReplay.Twilio;

/// <summary>
/// Which string CallReplay signs for the Media Streams WebSocket upgrade (<c>X-Twilio-Signature</c>); Twilio does not
/// document it exactly (protocol notes §4.3 and §10 item 2).
/// </summary>
public enum UpgradeSignatureVariant
{
    /// <summary>
    /// The stream URL as the TwiML gave it (<c>wss://host/path</c>), its query, if any, signed as parameters the way
    /// Twilio's own agent SDK validates it. The project's default.
    /// </summary>
    Exact = 0,

    /// <summary>The same with a trailing <c>/</c> on the path.</summary>
    TrailingSlash = 1,

    /// <summary>With the default port written out (<c>:443</c> for wss, <c>:80</c> for ws) when the URL has none.</summary>
    DefaultPort = 2,

    /// <summary>No signature header at all (one third-party report says upgrades carry none).</summary>
    None = 3,
}
