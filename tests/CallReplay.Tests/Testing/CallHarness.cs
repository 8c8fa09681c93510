using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Tests.Testing;

/// <summary>Runs one call from CallReplay into a <see cref="ScriptedServer"/> and exposes what happened.</summary>
public sealed class CallHarness : IAsyncDisposable
{
    private readonly ConcurrentQueue<TimelineEvent> _events = new();

    private CallHarness(ScriptedServer server) => Server = server;

    public ScriptedServer Server { get; }

    public FakeTimeProvider? Clock { get; private set; }

    public IReadOnlyList<TimelineEvent> Events => [.. _events];

    public Task<CallResult> Call { get; private set; } = null!;

    public string CallSid { get; private set; } = null!;

    public static async Task<CallHarness> StartServerAsync() => new(await ScriptedServer.StartAsync());

    /// <summary>Places a call to <c>/voice</c> (TwiML timings instant unless the options say otherwise).</summary>
    public CallHarness Place(RecordedCall recording, Func<FakeTwilioCallerOptions, FakeTwilioCallerOptions>? configure = null, bool fakeClock = false, FakeTwilioApi? api = null)
    {
        Clock = fakeClock ? new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) : null;
        CallSid = CallReplay.Twilio.TwilioSids.NewCallSid();
        var options = new FakeTwilioCallerOptions
        {
            WebhookUrl = new Uri(Server.BaseUrl, "voice"),
            CallStatusUrl = new Uri(Server.BaseUrl, "call-status"),
            CallSid = CallSid,
            TwimlTimeScale = 0,
            HangupAfter = TimeSpan.FromMilliseconds(100),
            MaxDuration = TimeSpan.FromSeconds(30),
            OnEvent = _events.Enqueue,
        };
        options = configure?.Invoke(options) ?? options;
        Call = new FakeTwilioCaller(options, timeProvider: Clock, api: api).CallAsync(recording);
        return this;
    }

    /// <summary>Waits until the caller's timeline has an event of <paramref name="kind"/> (the n-th one).</summary>
    public async Task<TimelineEvent> WaitForEventAsync(string kind, int count = 1, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = _events.Where(e => e.Kind == kind).ToList();
            if (matching.Count >= count)
            {
                return matching[count - 1];
            }

            if (Call.IsCompleted)
            {
                await Call; // surfaces a failure
                throw new InvalidOperationException($"The call ended without a {kind} event.");
            }

            await Task.Delay(2, cts.Token);
        }
    }

    /// <summary>Advances the fake clock in steps, letting the caller's loops run between them.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(20);
        for (var left = by; left > TimeSpan.Zero; left -= s)
        {
            Clock!.Advance(left < s ? left : s);
            await Task.Delay(1);
        }
    }

    /// <summary>Runs the fake clock until the call ends.</summary>
    public async Task<CallResult> FinishAsync(TimeSpan? step = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!Call.IsCompleted)
        {
            if (Clock is not null)
            {
                Clock.Advance(step ?? TimeSpan.FromMilliseconds(50));
            }

            await Task.Delay(Clock is null ? 10 : 2, cts.Token);
        }

        return await Call;
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
