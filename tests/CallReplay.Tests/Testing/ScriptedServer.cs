using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PhoneAgent.CallReplay.Tests.Testing;

/// <summary>
/// A Twilio application written by the test: Kestrel on 127.0.0.1:0, every HTTP request recorded with its form and
/// signature, TwiML answered by <see cref="Respond"/>, and the media WebSocket at <c>/media</c> driven by <see cref="Media"/>.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary><c>ws://127.0.0.1:PORT</c>.</summary>
    public string WsBase => "ws" + BaseUrl.GetLeftPart(UriPartial.Authority)[4..];

    /// <summary>Answers an HTTP request: (status, content type, body). Default: <c>&lt;Response/&gt;</c>.</summary>
    public Func<RecordedRequest, (int Status, string ContentType, string Body)> Respond { get; set; } = _ => Xml("<Response/>");

    /// <summary>Runs one media WebSocket (after it is accepted). Default: read until the caller closes.</summary>
    public Func<MediaSocket, Task> Media { get; set; } = s => s.DrainAsync();

    /// <summary>Decides whether to accept a media upgrade (status ≠ 0 refuses with that status).</summary>
    public Func<RecordedRequest, int> Upgrade { get; set; } = _ => 0;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public ConcurrentQueue<MediaSocket> Sockets { get; } = new();

    public static async Task<ScriptedServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public static (int, string, string) Xml(string twiml) => (200, "text/xml", twiml);

    /// <summary>TwiML that connects a stream to this server's <c>/media</c>.</summary>
    public string ConnectTwiml(string? action = "/connect-action", string parameters = "<Parameter name=\"token\" value=\"t-1\"/><Parameter name=\"profile\" value=\"support\"/>", string streamAttributes = "") =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect{(action is null ? "" : $" action=\"{action}\"")}><Stream url=\"{WsBase}/media\" statusCallback=\"{BaseUrl}stream-status\"{streamAttributes}>{parameters}</Stream></Connect></Response>";

    public async Task<MediaSocket> NextSocketAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Sockets.TryDequeue(out var socket))
            {
                return socket;
            }

            await Task.Delay(5, cts.Token);
        }
    }

    /// <summary>Waits until a request to <paramref name="path"/> has arrived <paramref name="count"/> times.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(string path, int count = 1, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = _requests.Where(r => r.Path == path).ToList();
            if (matching.Count >= count)
            {
                return matching[count - 1];
            }

            await Task.Delay(5, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : [];
        var recorded = new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            $"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}",
            form,
            request.Headers["X-Twilio-Signature"].FirstOrDefault(),
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.WebSockets.IsWebSocketRequest);
        _requests.Enqueue(recorded);
        if (context.WebSockets.IsWebSocketRequest)
        {
            if (Upgrade(recorded) is var refusal and not 0)
            {
                context.Response.StatusCode = refusal;
                return;
            }

            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            var socket = new MediaSocket(ws, recorded);
            Sockets.Enqueue(socket);
            await Media(socket);
            return;
        }

        var (status, contentType, body) = Respond(recorded);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }
}

/// <summary>An HTTP request (or WebSocket upgrade) the scripted server received.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Url,
    IReadOnlyDictionary<string, string> Form,
    string? Signature,
    IReadOnlyDictionary<string, string> Query,
    bool IsWebSocket);
