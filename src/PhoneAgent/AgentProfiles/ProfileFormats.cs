using System.Text.RegularExpressions;

namespace PhoneAgent.AgentProfiles;

/// <summary>Formats of profile values.</summary>
internal static partial class ProfileFormats
{
    /// <summary>E.164: <c>+</c>, a non-zero digit, up to 15 digits in all, e.g. <c>+15551234567</c>.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    public static partial Regex E164();

    /// <summary>BCP-47 language[-Script][-Region], e.g. <c>en-US</c>, <c>cmn-Hans-CN</c>, <c>es-419</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$", RegexOptions.CultureInvariant)]
    public static partial Regex Bcp47();

    /// <summary>SIP URI as Twilio's <c>&lt;Sip&gt;</c> takes it: <c>sip:user@host</c> or <c>sips:user@host</c>, optional parameters.</summary>
    [GeneratedRegex(@"^sips?:[^@\s]+@[^@\s]+$", RegexOptions.CultureInvariant)]
    public static partial Regex SipUri();

    /// <summary>ISO 4217 currency code, e.g. <c>USD</c>.</summary>
    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    public static partial Regex CurrencyCode();
}
