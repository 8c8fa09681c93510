using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Twilio;
using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.FakeApi;

/// <summary>
/// The part of Twilio's REST API that acts on a live call, hosted on Kestrel (point the server's
/// <c>Twilio:ApiBaseUrl</c> at <see cref="BaseUrl"/>). Updates act on the simulated calls as Twilio would.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json</c>: <c>Status=completed</c> hangs up (a stream gets
/// <c>stop</c>); <c>Twiml=…</c> or <c>Url=…</c> (+ <c>Method</c>) replaces the running TwiML at once (a stream gets
/// <c>stop</c>, then the new TwiML runs); <c>Status=canceled</c> affects only ringing calls. Answers with the call
/// resource once the call has acted.</item>
/// <item><c>GET …/Calls/{CA}.json</c>: the call resource.</item>
/// <item><c>POST …/Calls/{CA}/Recordings.json</c>: starts a (pretend) recording, 201.</item>
/// <item>Errors as Twilio writes them (<c>{"code", "message", "more_info", "status"}</c>): 401/20003 for bad credentials,
/// 404/20404 for a call it does not know, 400/21220 to redirect a call that is over.</item>
/// </list>
/// A hang-up of a call that is already over answers 200 with the resource (uncertain in Twilio's documentation).
/// </remarks>
public sealed class FakeTwilioApi : IAsyncDisposable
{
    private const string CallPath = "/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json";
    private const string RecordingsPath = "/2010-04-01/Accounts/{accountSid}/Calls/{callSid}/Recordings.json";
    private readonly FakeTwilioApiOptions _options;
    private readonly ConcurrentDictionary<string, ISimulatedCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeApiRequest> _requests = new();
    private WebApplication? _app;

    private FakeTwilioApi(FakeTwilioApiOptions options) => _options = options;

    /// <summary>The API's base URL (<c>http://127.0.0.1:PORT</c>), for <c>Twilio:ApiBaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public FakeTwilioApiOptions Options => _options;

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyCollection<FakeApiRequest> Requests => [.. _requests];

    /// <summary>Starts the API on Kestrel.</summary>
    public static async Task<FakeTwilioApi> StartAsync(FakeTwilioApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        var api = new FakeTwilioApi(options ?? new FakeTwilioApiOptions());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(api._options.Address, api._options.Port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapPost(CallPath, api.UpdateAsync);
        app.MapGet(CallPath, api.FetchAsync);
        app.MapPost(RecordingsPath, api.CreateRecordingAsync);
        app.MapFallback(api.NotFoundAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        api._app = app;
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A call started: updates for its CallSid now act on it.</summary>
    internal void Register(ISimulatedCall call) => _calls[call.CallSid] = call;

    /// <summary>A call ended: keep only what the resource shows.</summary>
    internal void Complete(ISimulatedCall call) => _calls[call.CallSid] = new EndedCall(call, _options.TimeProvider.GetUtcNow());

    private async Task UpdateAsync(HttpContext context, string accountSid, string callSid)
    {
        var form = await ReadFormAsync(context);
        if (Authorize(context, accountSid) is { } denied)
        {
            await WriteAsync(context, form, denied);
            return;
        }

        if (!_calls.TryGetValue(callSid, out var call) || call.AccountSid != accountSid)
        {
            await WriteAsync(context, form, NotFound(context));
            return;
        }

        form.TryGetValue("Status", out var status);
        form.TryGetValue("Twiml", out var twiml);
        form.TryGetValue("Url", out var url);
        var method = form.TryGetValue("Method", out var m) && m.Length > 0 ? m.ToUpperInvariant() : "POST";
        CallUpdate? update = null;
        if (!string.IsNullOrEmpty(twiml) && !string.IsNullOrEmpty(url))
        {
            await WriteAsync(context, form, Error(400, 20001, "Twiml and Url are mutually exclusive."));
            return;
        }

        if (!string.IsNullOrEmpty(status))
        {
            switch (status)
            {
                case "completed":
                    update = new CallUpdate.Hangup();
                    break;
                case "canceled":
                    update = call.Status is "queued" or "ringing" ? new CallUpdate.Hangup() : null;
                    break;
                default:
                    await WriteAsync(context, form, Error(400, 20001, $"Invalid Status: {status}. Use completed or canceled."));
                    return;
            }
        }
        else if (!string.IsNullOrEmpty(twiml))
        {
            try
            {
                update = new CallUpdate.RunTwiml(TwimlParser.Parse(twiml));
            }
            catch (TwimlParseException e)
            {
                await WriteAsync(context, form, Error(400, e.ErrorCode, $"Twiml is not valid TwiML: {e.Message}"));
                return;
            }
        }
        else if (!string.IsNullOrEmpty(url))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            {
                await WriteAsync(context, form, Error(400, 21205, $"Url is not a valid URL: {url}"));
                return;
            }

            update = new CallUpdate.FetchUrl(target, method);
        }

        // A redirect answers with the call as it was when redirected (Twilio carries it out after answering): by the
        // time this answer is written, the new TwiML may already have ended the call.
        var redirected = update is CallUpdate.RunTwiml or CallUpdate.FetchUrl ? Resource(call) : null;
        if (update is not null)
        {
            var acted = call.UpdateAsync(update);
            if (!acted.IsCompleted)
            {
                await Task.WhenAny(acted, Task.Delay(_options.UpdateTimeout, _options.TimeProvider));
            }

            if (acted is { IsCompletedSuccessfully: true, Result: false } && update is not CallUpdate.Hangup)
            {
                await WriteAsync(context, form, Error(400, 21220, "Call is not in-progress. Cannot redirect."));
                return;
            }
        }

        await WriteAsync(context, form, (200, redirected ?? Resource(_calls.GetValueOrDefault(callSid, call)), null));
    }

    private async Task FetchAsync(HttpContext context, string accountSid, string callSid)
    {
        var form = new Dictionary<string, string>();
        if (Authorize(context, accountSid) is { } denied)
        {
            await WriteAsync(context, form, denied);
            return;
        }

        await WriteAsync(context, form, _calls.TryGetValue(callSid, out var call) && call.AccountSid == accountSid
            ? (200, Resource(call), null)
            : NotFound(context));
    }

    private async Task CreateRecordingAsync(HttpContext context, string accountSid, string callSid)
    {
        var form = await ReadFormAsync(context);
        if (Authorize(context, accountSid) is { } denied)
        {
            await WriteAsync(context, form, denied);
            return;
        }

        if (!_calls.TryGetValue(callSid, out var call) || call.AccountSid != accountSid)
        {
            await WriteAsync(context, form, NotFound(context));
            return;
        }

        if (call.Status != "in-progress")
        {
            await WriteAsync(context, form, Error(400, 21220, "Call is not in-progress. Cannot record."));
            return;
        }

        var sid = TwilioSids.NewRecordingSid();
        var now = Rfc2822(_options.TimeProvider.GetUtcNow());
        await WriteAsync(context, form, (201, new Dictionary<string, object?>
        {
            ["account_sid"] = accountSid,
            ["api_version"] = CallReplayDefaults.ApiVersion,
            ["call_sid"] = callSid,
            ["conference_sid"] = null,
            ["channels"] = form.TryGetValue("RecordingChannels", out var channels) && channels == "dual" ? 2 : 1,
            ["date_created"] = now,
            ["date_updated"] = now,
            ["start_time"] = now,
            ["duration"] = "-1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = sid,
            ["source"] = "StartCallRecordingAPI",
            ["status"] = "in-progress",
            ["error_code"] = null,
            ["track"] = form.GetValueOrDefault("RecordingTrack", "both"),
            ["uri"] = $"/2010-04-01/Accounts/{accountSid}/Calls/{callSid}/Recordings/{sid}.json",
        }, null));
    }

    private async Task NotFoundAsync(HttpContext context) => await WriteAsync(context, new Dictionary<string, string>(), NotFound(context));

    private static (int, Dictionary<string, object?>, int?) NotFound(HttpContext context) =>
        Error(404, 20404, $"The requested resource {context.Request.Path} was not found");

    private (int, Dictionary<string, object?>, int?)? Authorize(HttpContext context, string accountSid)
    {
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is not null)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            }
            catch (FormatException)
            {
                decoded = "";
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
                var expected = user == _options.AccountSid ? _options.AuthToken : _options.ApiKeys.GetValueOrDefault(user);
                if (expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(expected)))
                {
                    return accountSid == _options.AccountSid ? null : Error(404, 20404, $"The requested resource {context.Request.Path} was not found");
                }
            }
        }

        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
        return Error(401, 20003, "Authenticate");
    }

    private static (int, Dictionary<string, object?>, int?) Error(int status, int code, string message) => (status, new Dictionary<string, object?>
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    }, code);

    private static Dictionary<string, object?> Resource(ISimulatedCall call)
    {
        var uri = $"/2010-04-01/Accounts/{call.AccountSid}/Calls/{call.CallSid}";
        return new Dictionary<string, object?>
        {
            ["sid"] = call.CallSid,
            ["date_created"] = Rfc2822(call.Created),
            ["date_updated"] = Rfc2822(call.Ended ?? call.Answered ?? call.Created),
            ["parent_call_sid"] = null,
            ["account_sid"] = call.AccountSid,
            ["to"] = call.To,
            ["to_formatted"] = call.To,
            ["from"] = call.From,
            ["from_formatted"] = call.From,
            ["phone_number_sid"] = "PN" + call.CallSid[2..],
            ["status"] = call.Status,
            ["start_time"] = call.Answered is { } a ? Rfc2822(a) : null,
            ["end_time"] = call.Ended is { } e ? Rfc2822(e) : null,
            ["duration"] = call is { Answered: { } s, Ended: { } f } ? ((int)(f - s).TotalSeconds).ToString(CultureInfo.InvariantCulture) : null,
            ["price"] = null,
            ["price_unit"] = "USD",
            ["direction"] = "inbound",
            ["answered_by"] = null,
            ["api_version"] = CallReplayDefaults.ApiVersion,
            ["forwarded_from"] = null,
            ["group_sid"] = null,
            ["caller_name"] = null,
            ["queue_time"] = "0",
            ["trunk_sid"] = null,
            ["uri"] = uri + ".json",
            ["subresource_uris"] = new Dictionary<string, string>
            {
                ["notifications"] = uri + "/Notifications.json",
                ["recordings"] = uri + "/Recordings.json",
                ["payments"] = uri + "/Payments.json",
                ["events"] = uri + "/Events.json",
                ["siprec"] = uri + "/Siprec.json",
                ["streams"] = uri + "/Streams.json",
                ["user_defined_message_subscriptions"] = uri + "/UserDefinedMessageSubscriptions.json",
                ["user_defined_messages"] = uri + "/UserDefinedMessages.json",
            },
        };
    }

    private static string Rfc2822(DateTimeOffset at) => at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static async Task<Dictionary<string, string>> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return [];
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return form.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    private async Task WriteAsync(HttpContext context, Dictionary<string, string> form, (int Status, Dictionary<string, object?> Body, int? Code) answer)
    {
        var entry = new FakeApiRequest(context.Request.Method, context.Request.Path.Value ?? "", form, answer.Status, answer.Code);
        _requests.Enqueue(entry);
        _options.OnRequest?.Invoke(entry);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(answer.Body), context.RequestAborted);
    }

    /// <summary>What is kept of a call that has ended (its resource), without its audio and timeline.</summary>
    private sealed class EndedCall(ISimulatedCall call, DateTimeOffset now) : ISimulatedCall
    {
        public string CallSid { get; } = call.CallSid;

        public string AccountSid { get; } = call.AccountSid;

        public string From { get; } = call.From;

        public string To { get; } = call.To;

        public string Status { get; } = call.Status;

        public DateTimeOffset Created { get; } = call.Created;

        public DateTimeOffset? Answered { get; } = call.Answered;

        public DateTimeOffset? Ended { get; } = call.Ended ?? now;

        public Task<bool> UpdateAsync(CallUpdate update) => Task.FromResult(false);
    }
}
