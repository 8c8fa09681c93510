using System.Threading.Tasks.Sources;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>
/// Waits on a call's clock again and again without allocating: one timer, re-armed for each wait, and one reusable
/// <see cref="IValueTaskSource{TResult}"/>. A wait ends when its time is up (true), when <see cref="Wake"/> is called
/// (false; a wake-up between waits ends the next one at once), or when the token is cancelled (it throws
/// <see cref="OperationCanceledException"/>). One wait at a time.
/// </summary>
/// <remarks>
/// <c>Task.Delay(delay, timeProvider, token)</c> builds a timer, a promise and a cancellation registration for every
/// wait: at 200 calls (10,000 caller frames a second, as many playback waits) that was a third of the load generator's
/// allocations, and its collections made it late. The runtime offers no resettable delay, hence this one.
/// </remarks>
internal sealed class ClockWaiter : IValueTaskSource<bool>, IDisposable
{
    private const long NotArmed = 0;
    private const long Forever = long.MaxValue;

    private readonly TimeProvider _time;
    private readonly CancellationToken _token;
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _registration;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private long _armedUntil; // the pending wait's due timestamp (Forever: only a wake or the token ends it); NotArmed between waits
    private int _wakeRequested;

    public ClockWaiter(TimeProvider time, CancellationToken token)
    {
        _time = time;
        _token = token;
        _timer = time.CreateTimer(static s => ((ClockWaiter)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _registration = token.UnsafeRegister(static s => ((ClockWaiter)s!).End(elapsed: null), this);
    }

    /// <summary>Waits <paramref name="delay"/> (<see cref="Timeout.InfiniteTimeSpan"/>: until woken or cancelled).</summary>
    public ValueTask<bool> WaitAsync(TimeSpan delay)
    {
        _token.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _wakeRequested, 0) == 1)
        {
            return ValueTask.FromResult(false);
        }

        if (delay != Timeout.InfiniteTimeSpan && delay <= TimeSpan.Zero)
        {
            return ValueTask.FromResult(true);
        }

        _core.Reset();
        var until = delay == Timeout.InfiniteTimeSpan ? Forever : Math.Max(1, _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency));
        Volatile.Write(ref _armedUntil, until);
        if (until != Forever)
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }

        // A wake-up or a cancellation that came while arming ends the wait now (they found nothing armed).
        if (Volatile.Read(ref _wakeRequested) == 1 || _token.IsCancellationRequested)
        {
            End(_token.IsCancellationRequested ? null : false);
        }

        return new ValueTask<bool>(this, _core.Version);
    }

    /// <summary>Ends the pending wait early, or the next one at once.</summary>
    public void Wake()
    {
        Volatile.Write(ref _wakeRequested, 1);
        End(elapsed: false);
    }

    /// <summary>Forgets a wake-up that came before now (the caller is about to look at everything anyway).</summary>
    public void ClearWake() => Volatile.Write(ref _wakeRequested, 0);

    public void Dispose()
    {
        _registration.Dispose();
        _timer.Dispose();
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void OnTimer()
    {
        var until = Volatile.Read(ref _armedUntil);
        if (until is NotArmed or Forever)
        {
            return;
        }

        // Too early: the system clock's timers run on a coarse tick (they can fire milliseconds early), or this firing
        // was meant for an earlier wait (ended by a wake-up) and came late. Re-arm for what is left; never drop it, or
        // the wait would never end.
        var early = until - _time.GetTimestamp();
        if (early > EarlyTicks)
        {
            try
            {
                _timer.Change(TimeSpan.FromMilliseconds(Math.Ceiling(early * 1000.0 / _time.TimestampFrequency)), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // the loop is over
            }

            return;
        }

        // The compare-exchange keeps the check and the claim one step: a wake-up may have ended this wait meanwhile.
        if (Interlocked.CompareExchange(ref _armedUntil, NotArmed, until) == until)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Ends the pending wait, if any: woken (false), or cancelled (null).</summary>
    private void End(bool? elapsed)
    {
        while (true)
        {
            var until = Volatile.Read(ref _armedUntil);
            if (until == NotArmed)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _armedUntil, NotArmed, until) != until)
            {
                continue;
            }

            if (elapsed is { } value)
            {
                Interlocked.Exchange(ref _wakeRequested, 0); // this wake-up is spent on this wait
                _core.SetResult(value);
            }
            else
            {
                _core.SetException(new OperationCanceledException(_token));
            }

            return;
        }
    }

    // How early a firing may come and still end a wait (PrecisionTimeProvider fires up to 0.25 ms early by design).
    private long EarlyTicks => _time.TimestampFrequency / 1000;
}
