using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>
/// A local fake of Twilio's Call resource on Kestrel 127.0.0.1:0: records each update and answers from a script
/// (status + Twilio error JSON), then 200 with a minimal call.
/// </summary>
public sealed class FakeTwilioRestApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, int Code)> _script = new();

    private FakeTwilioRestApi(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedUpdate> Requests { get; } = new();

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<FakeTwilioRestApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeTwilioRestApi(app);
        app.MapPost("/2010-04-01/Accounts/{account}/Calls/{call}.json", async (HttpContext context, string account, string call) =>
        {
            var form = await context.Request.ReadFormAsync();
            fake.Requests.Enqueue(new RecordedUpdate(account, call, context.Request.Headers.Authorization.ToString(), form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            if (fake._script.TryDequeue(out var scripted))
            {
                return Results.Json(new { code = scripted.Code, message = "scripted failure", more_info = $"https://www.twilio.com/docs/errors/{scripted.Code}", status = scripted.Status }, statusCode: scripted.Status);
            }

            return Results.Json(new { sid = call, account_sid = account, status = form["Status"].ToString() is { Length: > 0 } s ? s : "in-progress" });
        });
        await app.StartAsync();
        return fake;
    }

    /// <summary>The next request gets this error instead of success.</summary>
    public void FailNext(int status, int code) => _script.Enqueue((status, code));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedUpdate(string AccountSid, string CallSid, string Authorization, Dictionary<string, string> Form);
