using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Telephony;

/// <summary>
/// The effective Twilio credentials: the configured ones, or in Development the well-known
/// <see cref="TwilioDefaults.DevelopmentAuthToken"/> and <see cref="TwilioDefaults.DevelopmentAccountSid"/> when unset.
/// ⚠️ Holds secrets: never log its members.
/// </summary>
internal sealed class TwilioCredentials
{
    public TwilioCredentials(IOptions<TwilioOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        var development = environment.IsDevelopment();
        UsesDevelopmentAuthToken = o.AuthToken is null && development;
        var primary = o.AuthToken ?? (development ? TwilioDefaults.DevelopmentAuthToken : null);
        SigningTokens = new[] { primary, o.SecondaryAuthToken }.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        AccountSid = o.AccountSid ?? (development ? TwilioDefaults.DevelopmentAccountSid : null);
        ConfiguredAccountSid = o.AccountSid;
        PrimaryAuthToken = primary;
        ValidateRequests = o.ValidateRequests;
    }

    /// <summary>Every token a signature may be made with: primary first, then the secondary (rotation).</summary>
    public IReadOnlyList<string> SigningTokens { get; }

    /// <summary>The primary auth token (configured, or the development one), or <see langword="null"/>.</summary>
    public string? PrimaryAuthToken { get; }

    /// <summary>The account id to expect (configured, or the development one), or <see langword="null"/>.</summary>
    public string? AccountSid { get; }

    /// <summary>The account id exactly as configured; <see langword="null"/> means "not pinned".</summary>
    public string? ConfiguredAccountSid { get; }

    public bool UsesDevelopmentAuthToken { get; }

    public bool ValidateRequests { get; }
}
