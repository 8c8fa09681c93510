using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PhoneAgent.Calls;
using PhoneAgent.Options;
using PhoneAgent.Telephony.CallControl;
using PhoneAgent.Telephony.MediaStreams;
using Polly;

namespace PhoneAgent.Telephony;

internal static class TwilioEdgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Twilio edge: options validation, signatures, stream tokens, the in-memory call store, the media
    /// stream transport's default handler, the transfer TwiML (<c>&lt;Dial&gt;</c>/<c>&lt;Enqueue&gt;</c> for
    /// <c>NextAction.Transfer</c>), REST call control under the <c>twilio-rest</c> pipeline, and metrics.
    /// Everything with <c>TryAdd</c>, so a later registration (the bridge's <see cref="IMediaStreamHandler"/>, a
    /// database <see cref="ICallStore"/>) or a test wins.
    /// </summary>
    public static IServiceCollection AddTwilioEdge(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TwilioOptions>()
            .BindConfiguration(TwilioOptions.SectionName)
            .PostConfigure(static o =>
            {
                o.AccountSid = Sanitize(o.AccountSid);
                o.AuthToken = Sanitize(o.AuthToken);
                o.SecondaryAuthToken = Sanitize(o.SecondaryAuthToken);
                o.ApiKeySid = Sanitize(o.ApiKeySid);
                o.ApiKeySecret = Sanitize(o.ApiKeySecret);
                o.ApiBaseUrl = Sanitize(o.ApiBaseUrl);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidator>());

        services.AddMetrics();
        services.TryAddSingleton<TwilioMetrics>();
        services.TryAddSingleton<TwilioCredentials>();
        services.TryAddSingleton<TwilioPublicUrls>();
        services.TryAddSingleton<TwilioSignatureValidator>();
        services.TryAddSingleton<StreamTokens>();
        services.TryAddSingleton<TwilioTwiML>();
        services.TryAddSingleton<StreamIssuer>();
        services.TryAddSingleton<TransferTwiML>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INextActionTwiML, TransferTwiML>(static sp => sp.GetRequiredService<TransferTwiML>()));
        services.TryAddSingleton<ICallStore, InMemoryCallStore>();
        services.TryAddSingleton<IMediaStreamHandler, KeepAliveMediaStreamHandler>();
        services.TryAddSingleton<ICallAdmission, AdmitAllCalls>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, WebSocketsStartupFilter>());

        services.TryAddTransient<TwilioApiBaseUrlHandler>();
        services.AddHttpClient(TwilioCallControl.HttpClientName).AddHttpMessageHandler<TwilioApiBaseUrlHandler>();
        services.AddResiliencePipeline(TwilioRestPipeline.Name, static (builder, context) =>
            TwilioRestPipeline.Configure(builder, context.ServiceProvider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITwilioCallControl, TwilioCallControl>();

        services.AddHostedService<TwilioEdgeStartupReport>();
        return services;
    }

    private static string? Sanitize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
