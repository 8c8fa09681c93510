using Microsoft.Extensions.Options;
using PhoneAgent.Options;
using Polly.Registry;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;

namespace PhoneAgent.Telephony.CallControl;

/// <inheritdoc cref="ITwilioCallControl"/>
/// <remarks>
/// Uses the Twilio package's <see cref="CallResource"/> over a <see cref="TwilioRestClient"/> whose HTTP goes through the
/// named <c>HttpClient</c> "Twilio" (with <see cref="TwilioApiBaseUrlHandler"/>). Credentials: <c>Twilio:ApiKeySid</c>
/// and <c>Twilio:ApiKeySecret</c> when set, else AccountSid and the auth token.
/// </remarks>
internal sealed partial class TwilioCallControl(
    IHttpClientFactory httpClients,
    TwilioCredentials credentials,
    IOptions<TwilioOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    TwilioMetrics metrics,
    ILogger<TwilioCallControl> logger) : ITwilioCallControl
{
    public const string HttpClientName = "Twilio";
    private const int CallNotFound = 20404;

    public Task<CallControlOutcome> HangUpAsync(string callSid, CancellationToken cancellationToken) =>
        UpdateAsync("hangup", new UpdateCallOptions(callSid) { Status = CallResource.UpdateStatusEnum.Completed }, cancellationToken);

    public Task<CallControlOutcome> UpdateTwiMLAsync(string callSid, TwiML twiml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(twiml);
        return UpdateAsync("update-twiml", new UpdateCallOptions(callSid) { Twiml = new Twilio.Types.Twiml(twiml.ToString()) }, cancellationToken);
    }

    public Task<CallControlOutcome> RedirectAsync(string callSid, Uri url, CancellationToken cancellationToken) =>
        UpdateAsync("redirect", new UpdateCallOptions(callSid) { Url = url, Method = Twilio.Http.HttpMethod.Post }, cancellationToken);

    private async Task<CallControlOutcome> UpdateAsync(string operation, UpdateCallOptions update, CancellationToken cancellationToken)
    {
        var client = CreateClient();
        var pipeline = pipelines.GetPipeline(TwilioRestPipeline.Name);
        try
        {
            await pipeline.ExecuteAsync(
                static async (state, _) => await CallResource.UpdateAsync(state.update, state.client),
                (update, client),
                cancellationToken);
            metrics.RestRequest(operation, "done");
            Log.Done(logger, operation, update.PathSid);
            return CallControlOutcome.Done;
        }
        catch (ApiException e) when (e.Code == CallNotFound)
        {
            metrics.RestRequest(operation, "already-ended");
            Log.AlreadyEnded(logger, operation, update.PathSid);
            return CallControlOutcome.AlreadyEnded;
        }
        catch (Exception e) when (e is ApiException or ApiConnectionException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            metrics.RestRequest(operation, "failed");
            Log.Failed(logger, operation, update.PathSid, e.Message);
            throw;
        }
    }

    private TwilioRestClient CreateClient()
    {
        var o = options.Value;
        var accountSid = credentials.AccountSid ?? throw new InvalidOperationException("Twilio:AccountSid is required for REST call control.");
        var (username, password) = o.ApiKeySid is { } keySid && o.ApiKeySecret is { } keySecret
            ? (keySid, keySecret)
            : (accountSid, credentials.PrimaryAuthToken ?? throw new InvalidOperationException("Twilio:AuthToken (or Twilio:ApiKeySid and Twilio:ApiKeySecret) is required for REST call control."));
        return new TwilioRestClient(username, password, accountSid, httpClient: new Twilio.Http.SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
    }

    // EventIds 200-209 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Twilio REST {Operation} for call {CallSid}: done", EventName = "CallControlDone")]
        public static partial void Done(ILogger logger, string operation, string callSid);

        [LoggerMessage(201, LogLevel.Information, "Twilio REST {Operation} for call {CallSid}: the call had already ended (20404)", EventName = "CallControlAlreadyEnded")]
        public static partial void AlreadyEnded(ILogger logger, string operation, string callSid);

        [LoggerMessage(202, LogLevel.Error, "Twilio REST {Operation} for call {CallSid} failed: {Error}", EventName = "CallControlFailed")]
        public static partial void Failed(ILogger logger, string operation, string callSid, string error);
    }
}
