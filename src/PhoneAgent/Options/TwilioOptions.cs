namespace PhoneAgent.Options;

/// <summary>Twilio settings, section <c>Twilio</c>.</summary>
internal sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    /// <summary>Secret used to check <c>X-Twilio-Signature</c>. ⚠️ A secret: logged only as set or not set.</summary>
    /// <value>Optional for now. The default value is <see langword="null"/>.</value>
    public string? AuthToken { get; set; }
}
