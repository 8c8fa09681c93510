using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary><c>verification</c>: how <c>verify_caller</c> proves who is calling. The checks themselves live in code.</summary>
internal sealed record VerificationSettings
{
    public const int MaxMaxAttempts = 10;

    /// <summary>What the caller must know.</summary>
    /// <value>The default value is <see cref="VerificationMethod.Pin"/>.</value>
    public VerificationMethod Method { get; set; } = VerificationMethod.Pin;

    /// <summary>Failed attempts after which the call is locked out of verification; 1..10.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// With <see cref="VerificationMethod.PostcodeAndLastOrder"/> only: a caller whose number carries STIR/SHAKEN
    /// A-attestation and equals the account's number may verify with the postcode alone. Caller ID never replaces the
    /// last factor, so this is refused with <see cref="VerificationMethod.Pin"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AttestedCallerNeedsOneFactorFewer { get; set; }
}

[JsonConverter(typeof(CamelCaseEnumConverter<VerificationMethod>))]
internal enum VerificationMethod
{
    /// <summary>The account PIN; the account is the one on the caller's number.</summary>
    Pin = 1,

    /// <summary>The billing postcode and the number of the account's most recent order.</summary>
    PostcodeAndLastOrder,
}
