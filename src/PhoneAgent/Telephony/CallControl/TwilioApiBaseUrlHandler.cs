using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Telephony.CallControl;

/// <summary>
/// Points Twilio REST requests at <c>Twilio:ApiBaseUrl</c> (a local fake in tests and CallReplay): scheme, host, port
/// and path prefix come from it; the request's path and query stay. Without the setting requests pass unchanged.
/// </summary>
internal sealed class TwilioApiBaseUrlHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    private readonly string? _baseUrl = options.Value.ApiBaseUrl?.TrimEnd('/');

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_baseUrl is not null && request.RequestUri is { } uri && uri.Host.EndsWith("twilio.com", StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new Uri(_baseUrl + uri.PathAndQuery);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
