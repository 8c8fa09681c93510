using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PhoneAgent.Options;

internal static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds each options class to its section, turns blank values into "not set" (an empty environment variable is
    /// not a secret), and validates at start.
    /// </summary>
    public static IServiceCollection AddPhoneAgentOptions(this IServiceCollection services)
    {
        services.AddOptions<PhoneAgentOptions>()
            .BindConfiguration(PhoneAgentOptions.SectionName)
            .PostConfigure(static o => o.PublicBaseUrl = Sanitize(o.PublicBaseUrl))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PhoneAgentOptions>, PhoneAgentOptionsValidator>());

        services.AddOptions<TwilioOptions>()
            .BindConfiguration(TwilioOptions.SectionName)
            .PostConfigure(static o => o.AuthToken = Sanitize(o.AuthToken))
            .ValidateOnStart();

        services.AddOptions<GeminiOptions>()
            .BindConfiguration(GeminiOptions.SectionName)
            .PostConfigure(static o => o.ApiKey = Sanitize(o.ApiKey))
            .ValidateOnStart();

        return services;
    }

    private static string? Sanitize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
