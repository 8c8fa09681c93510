using System.Net.Http.Headers;

namespace PhoneAgent.CallReplay.Twilio;

/// <summary>
/// Sends requests the way Twilio sends webhooks: form-encoded POST (or GET with the parameters in the query string),
/// signed with <c>X-Twilio-Signature</c> over the public URL, delivered to the address <see cref="UrlMap"/> maps it to.
/// </summary>
public sealed class TwilioWebhookClient(HttpClient http, UrlMap urls, string authToken, TimeProvider timeProvider)
{
    /// <summary>Twilio's user agent for webhooks.</summary>
    public const string UserAgent = "TwilioProxy/1.1";

    public UrlMap Urls { get; } = urls;

    /// <summary>Sends a signed request; never throws for HTTP failures (they come back in the response).</summary>
    public async Task<WebhookResponse> SendAsync(Uri publicUrl, string method, IReadOnlyList<KeyValuePair<string, string>> parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        ArgumentNullException.ThrowIfNull(parameters);
        var get = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);
        string signedUrl;
        HttpRequestMessage request;
        if (get)
        {
            var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            signedUrl = publicUrl.OriginalString + (query.Length == 0 ? "" : (publicUrl.Query.Length > 0 ? "&" : "?") + query);
            request = new HttpRequestMessage(HttpMethod.Get, Urls.ToActual(new Uri(signedUrl)));
            request.Headers.TryAddWithoutValidation(CallReplayDefaults.SignatureHeader, TwilioSignature.Compute(authToken, signedUrl));
        }
        else
        {
            signedUrl = publicUrl.OriginalString;
            request = new HttpRequestMessage(HttpMethod.Post, Urls.ToActual(publicUrl))
            {
                Content = new FormUrlEncodedContent(parameters),
            };
            request.Headers.TryAddWithoutValidation(CallReplayDefaults.SignatureHeader, TwilioSignature.Compute(authToken, signedUrl, parameters));
        }

        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        request.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(259200) };
        var started = timeProvider.GetTimestamp();
        using var timeoutCts = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            using (request)
            using (var response = await http.SendAsync(request, linked.Token))
            {
                var body = await response.Content.ReadAsStringAsync(linked.Token);
                return new WebhookResponse(publicUrl, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, timeProvider.GetElapsedTime(started), null);
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(publicUrl, 0, null, "", timeProvider.GetElapsedTime(started), $"no response within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new WebhookResponse(publicUrl, 0, null, "", timeProvider.GetElapsedTime(started), e.Message);
        }
    }
}
