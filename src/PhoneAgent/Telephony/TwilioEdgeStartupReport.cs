using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Telephony;

/// <summary>Logs the Twilio edge's effective settings once at start. Secrets appear only as set or not set.</summary>
internal sealed partial class TwilioEdgeStartupReport(
    IOptions<TwilioOptions> options,
    TwilioCredentials credentials,
    TwilioPublicUrls urls,
    ILogger<TwilioEdgeStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        Log.Edge(
            logger,
            urls.IsConfigured ? urls.BaseUrl : "(derived from the listen address, Development only)",
            o.ValidateRequests,
            o.StreamSignature,
            credentials.SigningTokens.Count,
            o.SecondaryAuthToken is not null,
            o.ApiKeySid is not null ? "api-key" : "auth-token",
            o.ApiBaseUrl ?? "(Twilio)",
            o.MaxReconnects);
        if (credentials.UsesDevelopmentAuthToken)
        {
            Log.DevelopmentToken(logger);
        }

        if (!o.ValidateRequests)
        {
            Log.ValidationOff(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // EventIds 210-214 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(210, LogLevel.Information,
            "Twilio edge: PublicBaseUrl={PublicBaseUrl}, ValidateRequests={ValidateRequests}, StreamSignature={StreamSignature}, signing tokens={SigningTokens} (SecondaryAuthToken set={SecondarySet}), REST credentials={RestCredentials}, ApiBaseUrl={ApiBaseUrl}, MaxReconnects={MaxReconnects}",
            EventName = "TwilioEdgeConfiguration")]
        public static partial void Edge(ILogger logger, string publicBaseUrl, bool validateRequests, StreamSignatureMode streamSignature, int signingTokens, bool secondarySet, string restCredentials, string apiBaseUrl, int maxReconnects);

        [LoggerMessage(211, LogLevel.Warning, "Twilio:AuthToken is not set: using the well-known development auth token (Development only)", EventName = "DevelopmentAuthToken")]
        public static partial void DevelopmentToken(ILogger logger);

        [LoggerMessage(212, LogLevel.Warning, "Twilio:ValidateRequests=false: Twilio signatures are NOT checked (Development only)", EventName = "ValidationOff")]
        public static partial void ValidationOff(ILogger logger);
    }
}
