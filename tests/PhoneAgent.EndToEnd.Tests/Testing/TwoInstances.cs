using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.CallReplay;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Twilio;
using PhoneAgent.CallReplay.Twiml;
using PhoneAgent.Calls;
using PhoneAgent.GeminiLiveEmulator;
using PhoneAgent.Telephony;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// Two PhoneAgent instances (A and B, each the real app on its own Kestrel port) sharing one PostgreSQL database, with
/// a load balancer in front that the test steers: <see cref="Route"/> picks the instance for every request Twilio makes
/// (webhooks, callbacks, media streams). Both use the same public base URL, as instances behind one balancer do, so
/// every signature checks out on either. Each instance has its own in-process Gemini Live emulator, so a test can tell
/// which instance opened which model session.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, string Instance)> _routed = new();
    private readonly HttpClient _http;

    private TwoInstances(PhoneAgentInstance a, PhoneAgentInstance b)
    {
        A = a;
        B = b;
        Route = (_, _) => A;
        _http = new HttpClient(new Balancer(this)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public PhoneAgentInstance A { get; }

    public PhoneAgentInstance B { get; }

    /// <summary>The balancer's rule: (request path, how many requests for that path came before) → instance. Default: all to A.</summary>
    public Func<string, int, PhoneAgentInstance> Route { get; set; }

    /// <summary>Starts both instances at once (they migrate the shared database under its lock) and their emulators.</summary>
    public static async Task<TwoInstances> StartAsync(SharedPostgresDatabase database, string scenarioJson, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var a = await PhoneAgentInstance.CreateAsync("A", database.ConnectionString("a"), scenarioJson, settings);
        var b = await PhoneAgentInstance.CreateAsync("B", database.ConnectionString("b"), scenarioJson, settings);
        await Task.WhenAll(Task.Run(() => a.Address), Task.Run(() => b.Address));
        return new TwoInstances(a, b);
    }

    /// <summary>Which instance got each request for <paramref name="path"/>, in order.</summary>
    public IReadOnlyList<string> RoutedTo(string path) => [.. _routed.Where(r => r.Path == path).Select(r => r.Instance)];

    /// <summary>A call through the balancer: the webhook URL is A's, but every request goes where <see cref="Route"/> says.</summary>
    public Task<CallResult> CallAsync(RecordedCall recording, Func<FakeTwilioCallerOptions, FakeTwilioCallerOptions>? configure = null)
    {
        var options = A.Server.CallerOptions() with { WebSocketConnector = ConnectStreamAsync };
        return new FakeTwilioCaller(configure?.Invoke(options) ?? options, _http).CallAsync(recording);
    }

    /// <summary>
    /// The voice webhook for a new call, signed as Twilio signs it and sent through the balancer; returns the
    /// <c>&lt;Stream&gt;</c> the TwiML connects to (its token unclaimed), for tests that open the stream themselves, or
    /// <see langword="null"/> when the call was refused (the TwiML is the fallback).
    /// </summary>
    public async Task<(string CallSid, StreamNoun? Stream)> AnswerAsync(CancellationToken cancellationToken = default)
    {
        var callSid = TwilioSids.NewCallSid();
        var urls = new UrlMap(new Uri(A.Address, TwilioPaths.Voice), new Uri(new Uri(PhoneAgentServer.PublicBaseUrl), TwilioPaths.Voice));
        var webhooks = new TwilioWebhookClient(_http, urls, CallReplayDefaults.DevelopmentAuthToken, TimeProvider.System);
        var response = await webhooks.SendAsync(
            urls.PublicWebhook,
            "POST",
            [
                new("AccountSid", CallReplayDefaults.DevelopmentAccountSid),
                new("ApiVersion", CallReplayDefaults.ApiVersion),
                new("CallSid", callSid),
                new("CallStatus", "ringing"),
                new("Direction", "inbound"),
                new("From", CallReplayDefaults.From),
                new("To", CallReplayDefaults.To),
            ],
            TimeSpan.FromSeconds(15),
            cancellationToken);
        Assert.True(response.IsSuccess, $"voice webhook: {response.StatusCode} {response.Error}");
        var connect = TwimlParser.Parse(response.Body).Verbs.OfType<ConnectStreamVerb>().SingleOrDefault();
        return (callSid, connect?.Stream);
    }

    /// <summary>Opens a bare media stream on <paramref name="instance"/> with the upgrade signed for <paramref name="stream"/>'s URL.</summary>
    public static Task<StreamProbe> OpenStreamAsync(PhoneAgentInstance instance, StreamNoun stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return OpenStreamAsync(instance, stream.Url, cancellationToken);
    }

    /// <summary>Opens a bare media stream on <paramref name="instance"/> with the upgrade signed for <paramref name="publicStreamUrl"/>.</summary>
    public static Task<StreamProbe> OpenStreamAsync(PhoneAgentInstance instance, string publicStreamUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return StreamProbe.ConnectAsync(new Uri(instance.WebSocketAddress, TwilioPaths.Media), publicStreamUrl, cancellationToken);
    }

    private PhoneAgentInstance Pick(string path)
    {
        var earlier = _counts.AddOrUpdate(path, 0, static (_, n) => n + 1);
        var target = Route(path, earlier);
        _routed.Enqueue((path, target.Name));
        return target;
    }

    /// <summary>The media stream's upgrade, through the balancer (CallReplay's <see cref="FakeTwilioCallerOptions.WebSocketConnector"/>).</summary>
    private async Task<WebSocket> ConnectStreamAsync(Uri url, string? signature, CancellationToken cancellationToken)
    {
        var target = Pick(url.AbsolutePath);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", "Twilio.TmeWs/1.0");
        if (signature is not null)
        {
            socket.Options.SetRequestHeader(CallReplayDefaults.SignatureHeader, signature);
        }

        try
        {
            await socket.ConnectAsync(new Uri(target.WebSocketAddress, url.PathAndQuery), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Task.WhenAll(A.DisposeAsync().AsTask(), B.DisposeAsync().AsTask());
    }

    /// <summary>Sends each webhook and callback to the instance <see cref="Route"/> picks (same path and body, other host).</summary>
    private sealed class Balancer(TwoInstances owner) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = owner.Pick(request.RequestUri!.AbsolutePath);
            request.RequestUri = new Uri(target.Address, request.RequestUri.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>One PhoneAgent of <see cref="TwoInstances"/> and the emulator it talks to.</summary>
public sealed class PhoneAgentInstance : IAsyncDisposable
{
    private PhoneAgentInstance(string name, EmulatorServer emulator, PhoneAgentServer server)
    {
        Name = name;
        Emulator = emulator;
        Server = server;
    }

    public string Name { get; }

    public EmulatorServer Emulator { get; }

    public PhoneAgentServer Server { get; }

    /// <summary>http://127.0.0.1:port (starts the instance).</summary>
    public Uri Address => Server.Address;

    public Uri WebSocketAddress => new UriBuilder(Address) { Scheme = "ws" }.Uri;

    /// <summary>This instance's view of the shared call store.</summary>
    internal ValueTask<CallRecord?> RecordAsync(string callSid) => Server.Services.GetRequiredService<ICallStore>().FindAsync(callSid, default);

    internal static async Task<PhoneAgentInstance> CreateAsync(string name, string connectionString, string scenarioJson, IReadOnlyDictionary<string, string?>? settings)
    {
        var emulator = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            Scenario = EmulatorScenario.Parse(scenarioJson),
            TestMode = true,
            ReplyLatency = TimeSpan.FromMilliseconds(200),
            SetupLatency = TimeSpan.FromMilliseconds(50),
            EspeakPath = "",
        });
        var all = new Dictionary<string, string?>
        {
            ["Gemini:Backend"] = "DeveloperApi",
            ["Gemini:ApiKey"] = "end-to-end",
            ["Gemini:Endpoint"] = emulator.DeveloperApiUri.ToString(),
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:PhoneAgent"] = connectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new PhoneAgentInstance(name, emulator, new PhoneAgentServer(all));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
