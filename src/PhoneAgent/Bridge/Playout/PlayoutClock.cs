using System.Diagnostics;

namespace PhoneAgent.Bridge.Playout;

/// <summary>
/// One thread that releases paced agent frames for every call: each <see cref="PlayoutPacer"/> on the system clock
/// asks to be woken at its next frame's deadline, and the thread runs the pacers that are due, in turn, on itself.
/// </summary>
/// <remarks>
/// <para>
/// Why not a timer per call: each timer firing is a thread-pool work item (and the runtime's timer queue runs on the
/// coarse millisecond tick), 50 per call-second; under load those hops wait behind each other and keep idle workers
/// spinning. Here a frame's release and its send (the transport writes on the caller's thread) cost no hop at all.
/// </para>
/// <para>
/// Deadlines are absolute (the pacer's own clock); the thread wakes at the earliest one, rounded up to the next
/// millisecond, so a frame goes at most ~1 ms after its deadline, well inside the pacer's lead. Waiting pacers are a
/// flat list: finding the earliest is a scan, trivial next to one frame's send even at a thousand calls.
/// </para>
/// </remarks>
internal sealed class PlayoutClock
{
    private static readonly Lazy<PlayoutClock> LazyShared = new(() => new PlayoutClock("playout-clock"));

    private readonly Lock _gate = new();
    private readonly List<PlayoutPacer> _waiting = [];
    private readonly object _signal = new(); // Monitor wait/pulse: the thread's sleep, cut short by an earlier deadline
    private bool _signaled;
    private PlayoutPacer[] _due = new PlayoutPacer[64];
    private long _plannedWake = long.MaxValue;

    private PlayoutClock(string threadName)
    {
        var thread = new Thread(Run) { IsBackground = true, Name = threadName, Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>Pacers that threw on this thread (each dropped; the others go on).</summary>
    public long Faults { get; private set; }

    /// <summary>The process's clock, for pacers on <see cref="TimeProvider.System"/> (started on first use).</summary>
    public static PlayoutClock Shared => LazyShared.Value;

    /// <summary>How many of <paramref name="pacers"/> wait for a deadline now.</summary>
    public int Waiting(IEnumerable<PlayoutPacer> pacers)
    {
        lock (_gate)
        {
            return pacers.Count(p => p.ClockSlot >= 0);
        }
    }

    /// <summary>Wakes <paramref name="pacer"/> at <paramref name="dueTimestamp"/> (<see cref="Stopwatch"/> ticks), replacing its earlier deadline.</summary>
    public void Schedule(PlayoutPacer pacer, long dueTimestamp)
    {
        lock (_gate)
        {
            if (pacer.ClockSlot < 0)
            {
                pacer.ClockSlot = _waiting.Count;
                _waiting.Add(pacer);
            }

            pacer.ClockDue = dueTimestamp;
            if (dueTimestamp >= _plannedWake)
            {
                return; // the thread wakes before then anyway
            }

            _plannedWake = dueTimestamp;
        }

        lock (_signal)
        {
            _signaled = true;
            Monitor.Pulse(_signal);
        }
    }

    /// <summary>Forgets <paramref name="pacer"/>'s deadline.</summary>
    public void Cancel(PlayoutPacer pacer)
    {
        lock (_gate)
        {
            RemoveLocked(pacer);
        }
    }

    private void RemoveLocked(PlayoutPacer pacer)
    {
        var slot = pacer.ClockSlot;
        if (slot < 0)
        {
            return;
        }

        var last = _waiting.Count - 1;
        if (slot != last)
        {
            var moved = _waiting[last];
            _waiting[slot] = moved;
            moved.ClockSlot = slot;
        }

        _waiting.RemoveAt(last);
        pacer.ClockSlot = -1;
    }

    private void Run()
    {
        while (true)
        {
            var dueCount = 0;
            long next;
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                next = long.MaxValue;
                for (var i = _waiting.Count - 1; i >= 0; i--)
                {
                    var pacer = _waiting[i];
                    if (pacer.ClockDue <= now)
                    {
                        if (dueCount == _due.Length)
                        {
                            Array.Resize(ref _due, _due.Length * 2);
                        }

                        _due[dueCount++] = pacer;
                        RemoveLocked(pacer);
                    }
                    else if (pacer.ClockDue < next)
                    {
                        next = pacer.ClockDue;
                    }
                }

                _plannedWake = next;
            }

            // Outside the clock's lock: a pacer takes its own lock and may schedule itself again.
            for (var i = 0; i < dueCount; i++)
            {
                try
                {
                    _due[i].OnClock();
                }
#pragma warning disable CA1031 // One call's fault must never stop the audio of every other call on this thread.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Faults++;
                    Trace.TraceError($"Playout clock: a pacer failed and was dropped: {e}");
                }

                _due[i] = null!;
            }

            if (dueCount > 0)
            {
                continue; // time went by while sending: look again before sleeping
            }

            var timeout = Timeout.Infinite;
            if (next != long.MaxValue)
            {
                var milliseconds = Math.Ceiling((next - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency);
                if (milliseconds <= 0)
                {
                    continue;
                }

                timeout = (int)Math.Min(milliseconds, int.MaxValue);
            }

            lock (_signal)
            {
                if (!_signaled)
                {
                    Monitor.Wait(_signal, timeout);
                }

                _signaled = false;
            }
        }
    }
}
