using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>
/// Places calls into a PhoneAgent (or any Twilio Voice application) exactly as Twilio documents them, from a recording
/// of the caller. Reusable: one instance can place many calls, concurrently (the load tool does).
/// </summary>
/// <example>
/// <code>
/// await using var api = await FakeTwilioApi.StartAsync();              // Twilio:ApiBaseUrl of the server → api.BaseUrl
/// var caller = new FakeTwilioCaller(FakeTwilioCallerOptions.ForPhoneAgent(new Uri("http://127.0.0.1:5050")), api: api);
/// var result = await caller.CallAsync(RecordedCall.Load("samples/order-status.wav"));
/// result.WriteHeardWav("heard.wav");
/// </code>
/// </example>
public sealed class FakeTwilioCaller
{
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AllowAutoRedirect = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly FakeTwilioApi? _api;

    /// <param name="options">How to call.</param>
    /// <param name="httpClient">For webhooks and callbacks (a shared one by default; tests may route it in memory).</param>
    /// <param name="timeProvider">The clock of the caller's frames, the playback clock and every TwiML wait.</param>
    /// <param name="api">The fake Twilio REST API whose updates act on this caller's calls.</param>
    public FakeTwilioCaller(FakeTwilioCallerOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null, FakeTwilioApi? api = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _http = httpClient ?? SharedHttp;
        _time = timeProvider ?? TimeProvider.System;
        _api = api;
    }

    public FakeTwilioCallerOptions Options { get; }

    /// <summary>Places one call with <paramref name="recording"/> as the caller and returns once it has ended.</summary>
    public async Task<CallResult> CallAsync(RecordedCall recording, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var call = new SimulatedCall(Options, recording, _http, _time);
        _api?.Register(call);
        try
        {
            return await call.RunAsync(cancellationToken);
        }
        finally
        {
            _api?.Complete(call);
        }
    }
}
