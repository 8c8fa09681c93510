using Microsoft.Extensions.Options;

namespace PhoneAgent.Options;

/// <summary>Validates <see cref="PhoneAgentOptions"/>; every message names the configuration key.</summary>
internal sealed class PhoneAgentOptionsValidator : IValidateOptions<PhoneAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, PhoneAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ProfilesPath))
        {
            errors.Add($"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.ProfilesPath))} is required (a folder of agent profile JSON files).");
        }

        if (string.IsNullOrWhiteSpace(options.DefaultProfile))
        {
            errors.Add($"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.DefaultProfile))} is required (the name of an agent profile).");
        }

        if (options.PublicBaseUrl is { } url && !IsHttpsBaseUrl(url))
        {
            errors.Add($"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.PublicBaseUrl))} must be an absolute https URL without query or fragment, e.g. https://agent.example.com (got '{url}').");
        }

        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{PhoneAgentOptions.Key(nameof(PhoneAgentOptions.DrainTimeout))} must be between 00:00:00 and 01:00:00 (got {options.DrainTimeout}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpsBaseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);
}
