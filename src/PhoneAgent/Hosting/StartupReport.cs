using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Hosting;

/// <summary>
/// Logs the effective configuration once at start. Secrets are never logged: only whether each one is set.
/// </summary>
internal sealed partial class StartupReport(
    IOptions<PhoneAgentOptions> phoneAgent,
    IOptions<TwilioOptions> twilio,
    IOptions<GeminiOptions> gemini,
    ILogger<StartupReport> logger,
    ListenAddress? listenAddress = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var agent = phoneAgent.Value;
        Log.PhoneAgentConfiguration(logger, agent.ProfilesPath, agent.DefaultProfile, agent.PublicBaseUrl ?? "(not set)");
        Log.TwilioConfiguration(logger, twilio.Value.AuthToken is not null);
        Log.GeminiConfiguration(logger, gemini.Value.ApiKey is not null);
        if (listenAddress?.Url is { } url)
        {
            Log.ListenAddressApplied(logger, url, listenAddress.Source);
        }
        else if (listenAddress is not null)
        {
            Log.ListenAddressConfigured(logger, listenAddress.Source);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
