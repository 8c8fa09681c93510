using Microsoft.Extensions.Options;

namespace PhoneAgent.Options;

/// <summary>
/// Validates <see cref="TwilioOptions"/> and the Twilio edge's demands on <see cref="PhoneAgentOptions"/>; every
/// message names the configuration key. Outside Development the service needs real credentials and a public URL, and
/// never runs with signature checks off.
/// </summary>
internal sealed class TwilioOptionsValidator(IHostEnvironment environment, IOptions<PhoneAgentOptions> phoneAgent) : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var development = environment.IsDevelopment();

        if (!options.ValidateRequests && !development)
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.ValidateRequests))}=false is only allowed in the Development environment (this is '{environment.EnvironmentName}'): it turns off every Twilio signature check.");
        }

        if (!development)
        {
            if (options.AuthToken is null)
            {
                errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.AuthToken))} is required outside Development (the account's auth token, used to check X-Twilio-Signature).");
            }

            if (options.AccountSid is null)
            {
                errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.AccountSid))} is required outside Development (the AC… id of the account whose calls this service answers).");
            }

            if (phoneAgent.Value.PublicBaseUrl is null)
            {
                errors.Add($"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.PublicBaseUrl))} is required outside Development (the https URL Twilio reaches this service at; signatures are checked against it).");
            }
        }

        if (options.AccountSid is { } sid && !(sid.Length == 34 && sid.StartsWith("AC", StringComparison.Ordinal)))
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.AccountSid))} must be 34 characters starting with AC.");
        }

        if (options.SecondaryAuthToken is not null && options.AuthToken is null)
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.SecondaryAuthToken))} is set but {TwilioOptions.Key(nameof(TwilioOptions.AuthToken))} is not; set the primary token first.");
        }

        if ((options.ApiKeySid is null) != (options.ApiKeySecret is null))
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.ApiKeySid))} and {TwilioOptions.Key(nameof(TwilioOptions.ApiKeySecret))} go together: set both or neither.");
        }

        if (options.ApiBaseUrl is { } api
            && !(Uri.TryCreate(api, UriKind.Absolute, out var apiUri) && (apiUri.Scheme == Uri.UriSchemeHttp || apiUri.Scheme == Uri.UriSchemeHttps) && apiUri.Query.Length == 0))
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.ApiBaseUrl))} must be an absolute http(s) URL without query (got '{api}').");
        }

        if (!Enum.IsDefined(options.StreamSignature))
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.StreamSignature))} must be Enforce or ReportOnly.");
        }

        if (options.MaxReconnects is < 0 or > 10)
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.MaxReconnects))} must be between 0 and 10 (got {options.MaxReconnects}).");
        }

        if (options.StreamStartTimeout < TimeSpan.FromMilliseconds(500) || options.StreamStartTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.StreamStartTimeout))} must be between 00:00:00.5 and 00:01:00 (got {options.StreamStartTimeout}).");
        }

        if (options.StreamTokenLifetime < TimeSpan.FromSeconds(5) || options.StreamTokenLifetime > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.StreamTokenLifetime))} must be between 00:00:05 and 00:10:00 (got {options.StreamTokenLifetime}).");
        }

        if (options.MaxMessageBytes is < 4096 or > 1024 * 1024)
        {
            errors.Add($"{TwilioOptions.Key(nameof(TwilioOptions.MaxMessageBytes))} must be between 4096 and 1048576 (got {options.MaxMessageBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
