namespace PhoneAgent.Telephony;

/// <summary>Well-known values of the Twilio edge that other tools (CallReplay, tests) share.</summary>
public static class TwilioDefaults
{
    /// <summary>
    /// The auth token used in the Development environment when <c>Twilio:AuthToken</c> is not set. CallReplay signs
    /// with it unless told otherwise. ⚠️ Public on purpose: it protects nothing and is refused outside Development
    /// (there <c>Twilio:AuthToken</c> is required).
    /// </summary>
    public const string DevelopmentAuthToken = "phoneagent-dev-auth-token-000000";

    /// <summary>The account id assumed in the Development environment when <c>Twilio:AccountSid</c> is not set.</summary>
    public const string DevelopmentAccountSid = "AC00000000000000000000000000000000";

    /// <summary>Custom <c>&lt;Parameter&gt;</c> of the stream carrying the single-use stream token.</summary>
    public const string StreamTokenParameter = "streamToken";

    /// <summary>Custom <c>&lt;Parameter&gt;</c> of the stream carrying the selected agent profile's name.</summary>
    public const string ProfileParameter = "profile";

    /// <summary>Name of the Meter for the Twilio edge's metrics.</summary>
    public const string MeterName = "PhoneAgent.Twilio";

    /// <summary>The header Twilio signs requests with.</summary>
    public const string SignatureHeader = "X-Twilio-Signature";
}
