using System.Collections.Concurrent;
using System.Diagnostics;

namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// A <see cref="TimeProvider"/> whose timers fire on time to a fraction of a millisecond: one dedicated thread keeps
/// every timer in a queue ordered by due time (on <see cref="Stopwatch"/> ticks), sleeps on a monitor until the next
/// one, and hands the due callbacks to the thread pool (a few work items per tick). The load tool gives it to <see cref="Calls.FakeTwilioCaller"/>
/// so hundreds of calls keep their 20 ms frame clocks.
/// </summary>
/// <remarks>
/// The system provider's timers run on a queue checked against a coarse millisecond tick (on Linux the kernel's
/// coarse monotonic clock, a few milliseconds per step), which alone puts frames 1–4 ms late; this one measures time
/// with the high-resolution clock and waits with the kernel's high-resolution timed waits. A timer fires up to
/// <see cref="Early"/> before it is due rather than up to a millisecond after. Callbacks never run on the timer thread.
/// </remarks>
public sealed class PrecisionTimeProvider : TimeProvider, IDisposable
{
    /// <summary>How early a timer may fire (the monitor's waits are whole milliseconds).</summary>
    public static readonly TimeSpan Early = TimeSpan.FromMilliseconds(0.25);

    private readonly object _gate = new();
    private readonly ConcurrentQueue<(PrecisionTimer Timer, long Version, long Due)> _incoming = new();
    private readonly PriorityQueue<(PrecisionTimer Timer, long Version, long Due), long> _queue = new(); // the timer thread's own
    private readonly Thread _thread;
    private readonly long _earlyTicks = (long)(Early.TotalSeconds * Stopwatch.Frequency);
    private long _sleepingUntil; // 0 while the timer thread is awake; else when it will wake by itself
    private volatile bool _disposed;

    public PrecisionTimeProvider()
    {
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "CallReplay precision timers",
            Priority = ThreadPriority.AboveNormal,
        };
        _thread.Start();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new PrecisionTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Dispose()
    {
        _disposed = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Queues a timer without taking a lock; wakes the timer thread only when it sleeps past <paramref name="due"/>.</summary>
    private void Schedule(PrecisionTimer timer, long version, long due)
    {
        if (_disposed)
        {
            return;
        }

        _incoming.Enqueue((timer, version, due)); // a full fence: the read below sees the sleeper's announcement
        var sleepingUntil = Interlocked.Read(ref _sleepingUntil);
        if (sleepingUntil != 0 && due - _earlyTicks < sleepingUntil)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    private void Run()
    {
        var due = new List<(PrecisionTimer Timer, long Version, long Due)>();
        while (!_disposed)
        {
            while (_incoming.TryDequeue(out var entry))
            {
                _queue.Enqueue(entry, entry.Due);
            }

            var now = Stopwatch.GetTimestamp();
            var limit = now + _earlyTicks;
            while (_queue.TryPeek(out var entry, out var at) && at <= limit)
            {
                _queue.Dequeue();
                due.Add(entry);
            }

            if (due.Count > 0)
            {
                Dispatch(due);
                due.Clear();
                continue;
            }

            var wakeAt = _queue.TryPeek(out _, out var next) ? next - _earlyTicks : long.MaxValue;
            lock (_gate)
            {
                Interlocked.Exchange(ref _sleepingUntil, Math.Max(1, wakeAt)); // a full fence before the emptiness check
                if (_incoming.IsEmpty && !_disposed)
                {
                    var remaining = wakeAt - Stopwatch.GetTimestamp();
                    if (wakeAt == long.MaxValue)
                    {
                        Monitor.Wait(_gate);
                    }
                    else if (remaining > 0)
                    {
                        Monitor.Wait(_gate, (int)Math.Clamp(remaining * 1000 / Stopwatch.Frequency, 1, int.MaxValue));
                    }
                }

                Interlocked.Exchange(ref _sleepingUntil, 0);
            }
        }
    }

    /// <summary>Runs the due timers' callbacks on the thread pool, a few work items per tick rather than one per timer.</summary>
    private static void Dispatch(List<(PrecisionTimer Timer, long Version, long Due)> due)
    {
        var fired = new List<PrecisionTimer>(due.Count);
        foreach (var (timer, version, at) in due)
        {
            if (timer.Take(version, at))
            {
                fired.Add(timer);
            }
        }

        if (fired.Count == 0)
        {
            return;
        }

        var parts = Math.Min(fired.Count, Math.Max(1, Environment.ProcessorCount));
        var size = (fired.Count + parts - 1) / parts;
        for (var i = 0; i < fired.Count; i += size)
        {
            var batch = fired.GetRange(i, Math.Min(size, fired.Count - i));
            ThreadPool.UnsafeQueueUserWorkItem(static b =>
            {
                foreach (var t in b)
                {
                    t.Invoke();
                }
            }, batch, preferLocal: false);
        }
    }

    private static long ToTicks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private sealed class PrecisionTimer(PrecisionTimeProvider provider, TimerCallback callback, object? state) : ITimer
    {
        private readonly Lock _lock = new();
        private long _version;
        private long _periodTicks;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            long version;
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                version = ++_version;
                _periodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : ToTicks(period);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }
            }

            provider.Schedule(this, version, Stopwatch.GetTimestamp() + Math.Max(0, ToTicks(dueTime)));
            return true;
        }

        /// <summary>Claims a due firing (false when the timer was changed or disposed since); re-arms a periodic timer.</summary>
        public bool Take(long version, long due)
        {
            lock (_lock)
            {
                if (_disposed || version != _version)
                {
                    return false;
                }

                if (_periodTicks > 0)
                {
                    provider.Schedule(this, version, due + _periodTicks);
                }

                return true;
            }
        }

        public void Invoke() => callback(state);

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _version++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
