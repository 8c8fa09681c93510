using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Model;
using PhoneAgent.Options;
using PhoneAgent.Telephony;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

/// <summary>
/// The bridge's <see cref="ICallAdmission"/>: at most <c>Bridge:MaxConcurrentCalls</c> calls on this instance
/// (running streams plus calls admitted whose stream has not started yet, held for the stream token's lifetime), at
/// most <c>limits.maxCallsPerCallerPerHour</c> per calling number per rolling hour, and a pre-warmed model session for
/// every admitted call.
/// </summary>
internal sealed partial class BridgeCallAdmission(
    IOptions<BridgeOptions> options,
    IOptions<TwilioOptions> twilio,
    IModelSessionPrewarmer prewarmer,
    ToolRegistry tools,
    BridgeMetrics metrics,
    TimeProvider timeProvider,
    ILogger<BridgeCallAdmission> logger) : ICallAdmission
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _byCaller = new(StringComparer.Ordinal);

    /// <summary>Calls counted against the limit now.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                PurgeLocked(timeProvider.GetUtcNow());
                return _active.Count + _pending.Count;
            }
        }
    }

    /// <summary>Calls whose stream is running now (admitted calls still waiting for their stream not counted).</summary>
    public int StreamsRunning
    {
        get
        {
            lock (_gate)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>
    /// What a drain waits for: running streams, and calls admitted here within <paramref name="streamGrace"/> whose
    /// stream has not started yet. An older admission's stream started on another instance or never came; it still
    /// holds its slot against <c>Bridge:MaxConcurrentCalls</c> for the token's lifetime, but a drain need not wait for it.
    /// </summary>
    public int DrainCount(TimeSpan streamGrace)
    {
        var admittedAfter = timeProvider.GetUtcNow() - streamGrace + twilio.Value.StreamTokenLifetime;
        lock (_gate)
        {
            return _active.Count + _pending.Values.Count(until => until > admittedAfter);
        }
    }

    public CallAdmissionResult Admit(CallRecord call, AgentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(profile);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            PurgeLocked(now);
            if (_active.Count + _pending.Count >= options.Value.MaxConcurrentCalls && !_pending.ContainsKey(call.CallSid))
            {
                metrics.CallRefused("max-concurrent-calls");
                Log.Full(logger, call.CallSid, options.Value.MaxConcurrentCalls);
                return CallAdmissionResult.No("max-concurrent-calls");
            }

            if (!TakeCallerSlot(call.From, profile.Limits.MaxCallsPerCallerPerHour, now))
            {
                metrics.CallRefused("caller-rate");
                Log.CallerRate(logger, call.CallSid, profile.Limits.MaxCallsPerCallerPerHour ?? 0);
                return CallAdmissionResult.No("caller-rate");
            }

            _pending[call.CallSid] = now + twilio.Value.StreamTokenLifetime;
        }

        prewarmer.Prewarm(call.CallSid, CallModelConfig.For(profile, tools, call.CallSid));
        return CallAdmissionResult.Yes;
    }

    /// <summary>A stream of the call started: it counts as running until <see cref="StreamEnded"/>.</summary>
    public void StreamStarted(string callSid)
    {
        lock (_gate)
        {
            _pending.Remove(callSid);
            _active.Add(callSid);
        }
    }

    public void StreamEnded(string callSid)
    {
        lock (_gate)
        {
            _active.Remove(callSid);
        }
    }

    private bool TakeCallerSlot(string? caller, int? perHour, DateTimeOffset now)
    {
        if (perHour is not { } limit || string.IsNullOrEmpty(caller) || caller.StartsWith("client:", StringComparison.Ordinal))
        {
            return true;
        }

        var times = _byCaller.GetOrAdd(caller, static _ => new Queue<DateTimeOffset>());
        while (times.TryPeek(out var oldest) && now - oldest >= RateWindow)
        {
            times.Dequeue();
        }

        if (times.Count >= limit)
        {
            return false;
        }

        times.Enqueue(now);
        return true;
    }

    private void PurgeLocked(DateTimeOffset now)
    {
        List<string>? expired = null;
        foreach (var (sid, until) in _pending)
        {
            if (now > until)
            {
                (expired ??= []).Add(sid);
            }
        }

        foreach (var sid in expired ?? [])
        {
            _pending.Remove(sid);
        }

        if (_byCaller.Count > 10_000)
        {
            foreach (var (caller, times) in _byCaller)
            {
                if (times.TryPeek(out var newest) && now - newest >= RateWindow)
                {
                    _byCaller.TryRemove(caller, out _);
                }
            }
        }
    }

    // EventIds 560-569 belong to this class. Caller numbers are PII: never logged.
    private static partial class Log
    {
        [LoggerMessage(560, LogLevel.Warning, "Call {CallSid} refused: {Max} calls are in flight on this instance (Bridge:MaxConcurrentCalls)", EventName = "CallRefusedFull")]
        public static partial void Full(ILogger logger, string callSid, int max);

        [LoggerMessage(561, LogLevel.Warning, "Call {CallSid} refused: its caller already made {Max} calls in the last hour (limits.maxCallsPerCallerPerHour)", EventName = "CallRefusedCallerRate")]
        public static partial void CallerRate(ILogger logger, string callSid, int max);
    }
}
