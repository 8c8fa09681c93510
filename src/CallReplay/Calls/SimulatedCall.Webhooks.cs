using System.Globalization;
using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.Calls;

internal sealed partial class SimulatedCall
{
    /// <summary>What Twilio accepts as TwiML (anything else is error 12300).</summary>
    private static readonly string[] TwimlMediaTypes = ["text/xml", "application/xml", "text/html"];

    /// <summary>
    /// Requests TwiML as Twilio does; <see langword="null"/> (with the error recorded) when Twilio would give up with
    /// "an application error has occurred": no answer in time (11200), an HTTP error (11200), a media type that is not
    /// XML (12300), a document that does not parse (12100).
    /// </summary>
    private async Task<TwimlDocument?> FetchTwimlAsync(Uri url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters, string what, CancellationToken cancellationToken)
    {
        var sentAt = Now;
        var response = await Webhooks.SendAsync(url, method, parameters, _options.WebhookTimeout, cancellationToken);
        var summary = $"{method} {url} ({what}) → {(response.StatusCode == 0 ? response.Error : response.StatusCode.ToString(CultureInfo.InvariantCulture))} in {response.Elapsed.TotalMilliseconds:0} ms";
        Timeline.Add(sentAt, TimelineKinds.Webhook, summary, new Dictionary<string, object?>
        {
            ["url"] = url.ToString(),
            ["method"] = method,
            ["status"] = response.StatusCode,
            ["elapsedMs"] = Math.Round(response.Elapsed.TotalMilliseconds, 1),
        });
        string? failure = null;
        var code = 11200;
        if (!response.IsSuccess)
        {
            failure = response.StatusCode == 0 ? $"{what}: {response.Error}" : $"{what}: HTTP {response.StatusCode}";
        }
        else if (response.ContentType is null || !TwimlMediaTypes.Contains(response.ContentType, StringComparer.OrdinalIgnoreCase))
        {
            (failure, code) = ($"{what}: Content-Type {response.ContentType ?? "(none)"} is not TwiML (text/xml or application/xml)", 12300);
        }
        else
        {
            try
            {
                return TwimlParser.Parse(response.Body);
            }
            catch (TwimlParseException e)
            {
                (failure, code) = ($"{what}: {e.Message}", e.ErrorCode);
            }
        }

        _error = failure;
        Warn(code, failure + "; Twilio says \"an application error has occurred\" and hangs up");
        return null;
    }

    /// <summary>The parameters Twilio sends with every call-scoped request.</summary>
    internal List<KeyValuePair<string, string>> CallParameters(string callStatus, bool includeCallToken = false)
    {
        var p = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", AccountSid),
            new("ApiVersion", CallReplayDefaults.ApiVersion),
            new("CallSid", CallSid),
            new("CallStatus", callStatus),
            new("Called", To),
            new("CalledCity", ""),
            new("CalledCountry", "US"),
            new("CalledState", ""),
            new("CalledZip", ""),
            new("Caller", From),
            new("CallerCity", "SAN FRANCISCO"),
            new("CallerCountry", "US"),
            new("CallerState", "CA"),
            new("CallerZip", "94105"),
            new("Direction", "inbound"),
            new("From", From),
            new("FromCity", "SAN FRANCISCO"),
            new("FromCountry", "US"),
            new("FromState", "CA"),
            new("FromZip", "94105"),
            new("To", To),
            new("ToCity", ""),
            new("ToCountry", "US"),
            new("ToState", ""),
            new("ToZip", ""),
        };
        if (includeCallToken)
        {
            // An opaque token Twilio adds to inbound calls; URL-encoded JSON, so signing must handle awkward characters.
            p.Add(new("CallToken", "%7B%22parentCallInfoToken%22%3A%22eyJhbGciOiJFUzI1NiJ9.e30%22%2C%22identityHeaderTokens%22%3A%5B%5D%7D"));
        }

        return p;
    }

    /// <summary>Sends a call status callback (asynchronous, like Twilio's; awaited before the call's result).</summary>
    private void SendCallStatus(string callStatus, string progressEvent)
    {
        if (_options.CallStatusUrl is not { } url)
        {
            return;
        }

        var parameters = CallParameters(callStatus);
        parameters.Add(new("CallbackSource", "call-progress-events"));
        parameters.Add(new("SequenceNumber", (_callStatusSequence++).ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new("Timestamp", _time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture)));
        if (progressEvent == "completed")
        {
            parameters.Add(new("CallDuration", ((int)Math.Ceiling(((Ended - Answered) ?? TimeSpan.Zero).TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        }

        Track(SendCallbackAsync("call-status", callStatus, url, "POST", parameters));
    }

    /// <summary>Sends a stream status callback to the <c>&lt;Stream statusCallback&gt;</c>, if there is one.</summary>
    internal void SendStreamStatus(StreamNoun stream, Uri documentUrl, string streamSid, string streamEvent, string? error = null)
    {
        if (stream.StatusCallback is null)
        {
            return;
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", AccountSid),
            new("CallSid", CallSid),
            new("StreamSid", streamSid),
            new("StreamName", stream.StreamName ?? streamSid),
            new("StreamEvent", streamEvent),
            new("Timestamp", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        };
        if (error is not null)
        {
            parameters.Add(new("StreamError", error));
        }

        Track(SendCallbackAsync("stream-status", streamEvent, new Uri(documentUrl, stream.StatusCallback), stream.StatusCallbackMethod, parameters));
    }

    private async Task SendCallbackAsync(string kind, string evt, Uri url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var at = Now;
        var response = await Webhooks.SendAsync(url, method, parameters, _options.WebhookTimeout, CancellationToken.None);
        lock (_lock)
        {
            _callbackResults.Add(new CallbackResult(at, kind, evt, url, response.StatusCode, response.Error));
        }

        Timeline.Add(at, TimelineKinds.Callback, $"{kind} {evt} → {(response.StatusCode == 0 ? response.Error : response.StatusCode.ToString(CultureInfo.InvariantCulture))}", new Dictionary<string, object?>
        {
            ["callback"] = kind,
            ["event"] = evt,
            ["url"] = url.ToString(),
            ["status"] = response.StatusCode,
        });
        if (!response.IsSuccess)
        {
            Warn(kind == "call-status" ? 15003 : 11200, $"{kind} callback {evt} to {url} failed: {(response.StatusCode == 0 ? response.Error : $"HTTP {response.StatusCode}")}");
        }
    }
}
