namespace PhoneAgent.CallReplay;

/// <summary>
/// CallReplay's own copy of the values it shares with PhoneAgent's Twilio edge. CallReplay must not depend on the
/// server it tests, so these are duplicated on purpose; a test asserts they equal the edge's constants.
/// </summary>
public static class CallReplayDefaults
{
    /// <summary>
    /// The auth token PhoneAgent accepts in its Development environment when <c>Twilio:AuthToken</c> is unset; CallReplay
    /// signs with it unless <c>--auth-token</c> says otherwise. ⚠️ Public on purpose: it protects nothing.
    /// </summary>
    public const string DevelopmentAuthToken = "phoneagent-dev-auth-token-000000";

    /// <summary>The account PhoneAgent assumes in Development when <c>Twilio:AccountSid</c> is unset.</summary>
    public const string DevelopmentAccountSid = "AC00000000000000000000000000000000";

    /// <summary>Twilio's REST API version, sent as <c>ApiVersion</c> on every webhook.</summary>
    public const string ApiVersion = "2010-04-01";

    /// <summary>The edge's voice webhook path, appended when the target URL has no path.</summary>
    public const string VoicePath = "/twilio/voice";

    /// <summary>The edge's call status callback path (the number's status callback in the Twilio console).</summary>
    public const string CallStatusPath = "/twilio/call-status";

    /// <summary>The header Twilio signs requests with.</summary>
    public const string SignatureHeader = "X-Twilio-Signature";

    /// <summary>Caller number used when none is given.</summary>
    public const string From = "+15005550006";

    /// <summary>Called (the agent's Twilio) number used when none is given.</summary>
    public const string To = "+15017122661";
}
