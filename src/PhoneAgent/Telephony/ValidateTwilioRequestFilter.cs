using Microsoft.AspNetCore.Http.HttpResults;

namespace PhoneAgent.Telephony;

/// <summary>
/// Rejects a webhook with 403 unless its <c>X-Twilio-Signature</c> signs the URL rebuilt from
/// <c>PhoneAgent:PublicBaseUrl</c> (+ path + query as received) and its form parameters, with a configured auth token
/// (the Twilio.AspNet.Core <c>ValidateTwilioRequestFilter</c>, on Twilio's own <see cref="Twilio.Security.RequestValidator"/>).
/// </summary>
/// <remarks>
/// Handlers behind it must not bind form parameters (binding runs before endpoint filters and could answer 400 first):
/// they read <c>HttpRequest.Form</c>, which this filter has already read and cached.
/// </remarks>
internal sealed partial class ValidateTwilioRequestFilter(
    TwilioSignatureValidator validator,
    TwilioPublicUrls urls,
    TwilioCredentials credentials,
    TwilioMetrics metrics,
    ILogger<ValidateTwilioRequestFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.HttpContext.Request;
        var endpoint = request.Path.Value ?? "";

        if (!credentials.ValidateRequests)
        {
            metrics.WebhookSignature(endpoint, "skipped");
            return await next(context);
        }

        var signature = request.Headers[TwilioDefaults.SignatureHeader].ToString();
        if (signature.Length == 0)
        {
            return Reject(endpoint, "missing");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(context.HttpContext.RequestAborted);
                foreach (var (key, value) in form)
                {
                    parameters[key] = value.ToString();
                }
            }
            catch (InvalidDataException)
            {
                return Reject(endpoint, "unreadable-form");
            }
        }

        if (!validator.IsValidWebhook(urls.ForRequest(request), parameters, signature))
        {
            return Reject(endpoint, "invalid");
        }

        metrics.WebhookSignature(endpoint, "valid");
        return await next(context);
    }

    private StatusCodeHttpResult Reject(string endpoint, string result)
    {
        metrics.WebhookSignature(endpoint, result);
        Log.WebhookRejected(logger, endpoint, result);
        return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
    }

    // EventIds 120-129 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Warning, "Rejected Twilio webhook {Endpoint} with 403: signature {Result}", EventName = "WebhookRejected")]
        public static partial void WebhookRejected(ILogger logger, string endpoint, string result);
    }
}

/// <summary><c>.ValidateTwilioRequest()</c> on a route or a group.</summary>
internal static class ValidateTwilioRequestExtensions
{
    public static TBuilder ValidateTwilioRequest<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, ValidateTwilioRequestFilter>();
}
