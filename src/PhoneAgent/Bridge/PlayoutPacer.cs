using PhoneAgent.Bridge.Playout;

namespace PhoneAgent.Bridge;

/// <summary>
/// Paces agent frames to Twilio on an absolute clock: at most <see cref="Lead"/> of audio is ever queued at Twilio,
/// and it never runs dry while frames are waiting here.
/// </summary>
/// <remarks>
/// <para>
/// The clock is <c>playoutEnd</c>: when the audio sent so far will have finished playing at Twilio. Each frame sent
/// adds exactly 20 ms to it (from <c>now</c> when Twilio had run dry, i.e. at the start of a talk spurt). A frame may go
/// once <c>playoutEnd − now ≤ Lead − 20 ms</c>, so frame <i>k</i> of a spurt that starts at <i>T0</i> goes at
/// <i>T0 + (k + 1)·20 ms − Lead</i>: the first <c>Lead</c> of a turn goes at once, then one frame every 20 ms. Deadlines
/// are absolute, so a late timer makes the next frames go sooner rather than adding up drift (relative
/// <c>sleep(20 ms)</c> loops drift late and stutter).
/// </para>
/// <para>
/// A talk spurt starts only once <see cref="StartBuffer"/> is queued here, its turn has ended, or its first frame has
/// waited <see cref="StartMaxWait"/>: at a spurt's start Twilio holds nothing but what goes out then, and a model chunk
/// can be shorter than a collector pause or a network hiccup (Gemini 2.5 sends ~62 ms chunks), which the caller would
/// hear as a gap; two chunks in hand give a lead-sized cushion for a few milliseconds of latency.
/// </para>
/// <para>
/// Thread-safe: the downstream pump adds frames, the clock releases them, the barge-in clears them; all under one lock.
/// The sink is called under that lock too, which keeps frames, marks and <c>clear</c> in one order (it never blocks).
/// </para>
/// <para>
/// On the system clock the deadlines are kept by the process's one <see cref="PlayoutClock"/> thread; on any other
/// <see cref="TimeProvider"/> (tests) by a timer of that provider.
/// </para>
/// </remarks>
internal sealed class PlayoutPacer : IDisposable
{
    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    private readonly IPlayoutSink _sink;
    private readonly TimeProvider _timeProvider;
    private readonly BridgeMetrics? _metrics;
    private readonly int _maxFrames;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly PlayoutQueue _queue = new();
    private readonly ITimer? _timer;
    private readonly PlayoutClock? _clock;
    private TimeSpan _playoutEnd;
    private int _lastTurn;
    private int _lastSentTurn;
    private bool _lastSentTurnEnded = true;
    private long _sent;
    private TimeSpan? _spurtWaitSince; // when the first frame of a spurt that has not started yet was queued
    private bool _disposed;

    /// <param name="sink">Where frames, marks and <c>clear</c> go (Twilio).</param>
    /// <param name="timeProvider">The clock (the system's runs on <see cref="PlayoutClock"/>).</param>
    /// <param name="lead">The most audio ever queued at Twilio.</param>
    /// <param name="maxBuffered">Audio held here at most; beyond it the oldest frames are dropped and counted.</param>
    /// <param name="metrics">Pacing lead and drop counters, if any.</param>
    /// <param name="startBuffer">Audio held at a spurt's start before it goes (0: none).</param>
    /// <param name="startMaxWait">The longest a spurt's first frame is held for <paramref name="startBuffer"/>.</param>
    public PlayoutPacer(IPlayoutSink sink, TimeProvider timeProvider, TimeSpan lead, TimeSpan maxBuffered, BridgeMetrics? metrics = null, TimeSpan startBuffer = default, TimeSpan startMaxWait = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lead, FrameDuration);
        ArgumentOutOfRangeException.ThrowIfLessThan(startBuffer, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(startMaxWait, TimeSpan.Zero);
        _sink = sink;
        _timeProvider = timeProvider;
        Lead = lead;
        StartBuffer = startBuffer;
        StartMaxWait = startMaxWait;
        _metrics = metrics;
        _maxFrames = Math.Max(1, (int)(maxBuffered / FrameDuration));
        _origin = timeProvider.GetTimestamp();
        if (timeProvider == TimeProvider.System)
        {
            _clock = PlayoutClock.Shared;
        }
        else
        {
            _timer = timeProvider.CreateTimer(static state => ((PlayoutPacer)state!).OnClock(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>This pacer's place in <see cref="PlayoutClock"/>'s list (-1: not waiting); the clock's, under its lock.</summary>
    internal int ClockSlot { get; set; } = -1;

    /// <summary>When <see cref="PlayoutClock"/> wakes this pacer (timestamp); the clock's, under its lock.</summary>
    internal long ClockDue { get; set; }

    /// <summary>The most audio ever queued at Twilio.</summary>
    public TimeSpan Lead { get; }

    /// <summary>Audio queued here before a talk spurt starts (unless its turn ended, or <see cref="StartMaxWait"/> passed).</summary>
    public TimeSpan StartBuffer { get; }

    /// <summary>The longest the first frame of a spurt waits for <see cref="StartBuffer"/>.</summary>
    public TimeSpan StartMaxWait { get; }

    /// <summary>Frames waiting here.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Frames handed to the sink so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Audio queued at Twilio now, by this pacer's clock.</summary>
    public TimeSpan AheadAtTwilio
    {
        get
        {
            lock (_gate)
            {
                var ahead = _playoutEnd - Now;
                return ahead > TimeSpan.Zero ? ahead : TimeSpan.Zero;
            }
        }
    }

    private TimeSpan Now => _timeProvider.GetElapsedTime(_origin);

    /// <summary>A new playout turn, newer than every earlier one (model turns and hold cues share the numbering).</summary>
    public int NewTurn()
    {
        lock (_gate)
        {
            return ++_lastTurn;
        }
    }

    /// <summary>Queues <paramref name="frames"/> (ownership passes to the pacer) and sends what is due.</summary>
    public void Enqueue(ReadOnlySpan<PlayoutFrame> frames)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                foreach (var frame in frames)
                {
                    frame.Return();
                }

                return;
            }

            var dropped = 0;
            foreach (var frame in frames)
            {
                if (_queue.Count >= _maxFrames)
                {
                    _queue.Dequeue().Return();
                    dropped++;
                }

                _queue.Enqueue(frame);
            }

            _metrics?.FramesDropped(BridgeMetrics.ModelToCaller, "backlog", dropped);
            PumpLocked();
        }
    }

    /// <summary>Ends <paramref name="turn"/>: its last queued frame (or, if all went out, the stream now) gets the final mark.</summary>
    public void EndTurn(int turn)
    {
        lock (_gate)
        {
            for (var i = _queue.Count - 1; i >= 0; i--)
            {
                ref var frame = ref _queue[i];
                if (frame.Turn == turn)
                {
                    frame.EndOfTurn = true;
                    PumpLocked(); // a spurt held for more audio goes now: no more is coming
                    return;
                }
            }

            if (turn == _lastSentTurn && !_lastSentTurnEnded)
            {
                _lastSentTurnEnded = true;
                _sink.EndTurn(turn);
            }
        }
    }

    /// <summary>Drops queued hold-cue frames (the model speaks again, or the tool finished); returns how many.</summary>
    public int DropCue()
    {
        lock (_gate)
        {
            var dropped = 0;
            while (_queue.Count > 0 && _queue[_queue.Count - 1].Cue)
            {
                _queue.RemoveLast().Return();
                dropped++;
            }

            if (_queue.Count == 0)
            {
                _spurtWaitSince = null;
            }

            return dropped;
        }
    }

    /// <summary>
    /// Barge-in: drops every queued frame, forgets the playout clock (Twilio's buffer is emptied by <c>clear</c>) and
    /// has the sink send <c>clear</c>, all under the lock, so no frame of the cut turn can slip out after it.
    /// </summary>
    /// <returns>Frames dropped, and a task that completes when <c>clear</c> is written.</returns>
    public (int Dropped, Task ClearWritten) Clear()
    {
        lock (_gate)
        {
            var dropped = 0;
            while (_queue.Count > 0)
            {
                _queue.Dequeue().Return();
                dropped++;
            }

            _playoutEnd = Now;
            _lastSentTurnEnded = true;
            _spurtWaitSince = null;
            Disarm();
            return (dropped, _disposed ? Task.CompletedTask : _sink.ClearAsync());
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Disarm();
            _timer?.Dispose();
            var dropped = _queue.Count;
            while (_queue.Count > 0)
            {
                _queue.Dequeue().Return();
            }

            _metrics?.FramesDropped(BridgeMetrics.ModelToCaller, "call-ended", dropped);
        }
    }

    /// <summary>A deadline came (the clock's thread, or the timer).</summary>
    internal void OnClock()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                PumpLocked();
            }
        }
    }

    /// <summary>Sends every frame that is due; arms the timer for the next deadline.</summary>
    private void PumpLocked()
    {
        var now = Now;
        if (_queue.Count > 0 && _playoutEnd <= now)
        {
            if (!SpurtMayStartLocked(now))
            {
                return;
            }

            _metrics?.PacingStartWait(_spurtWaitSince is { } since ? (now - since).TotalMilliseconds : 0);
        }

        _spurtWaitSince = null;
        var room = Lead - FrameDuration;
        while (_queue.Count > 0)
        {
            var start = _playoutEnd > now ? _playoutEnd : now;
            if (start - now > room)
            {
                Arm(start - room - now);
                return;
            }

            var frame = _queue.Dequeue();
            _playoutEnd = start + FrameDuration;
            if (frame.Turn != _lastSentTurn)
            {
                _lastSentTurn = frame.Turn;
                _lastSentTurnEnded = false;
            }

            _sink.Send(frame.Turn, frame.Buffer.AsSpan(0, PlayoutFrame.Bytes), frame.MarkAfter && !frame.EndOfTurn, frame.ProcessingTicks);
            if (frame.EndOfTurn)
            {
                _lastSentTurnEnded = true;
                _sink.EndTurn(frame.Turn);
            }

            frame.Return();
            _sent++;
            _metrics?.PacingLead((_playoutEnd - now).TotalMilliseconds);
        }
    }

    /// <summary>Twilio is dry and frames wait: whether they may go now (else the timer is armed for the wait's end).</summary>
    private bool SpurtMayStartLocked(TimeSpan now)
    {
        if (_queue.Count * FrameDuration >= StartBuffer || _queue[0].Cue)
        {
            return true; // enough in hand, or a hold cue (made here, all at once)
        }

        for (var i = _queue.Count - 1; i >= 0; i--)
        {
            if (_queue[i].EndOfTurn)
            {
                return true; // the whole (short) turn is here
            }
        }

        _spurtWaitSince ??= now;
        var waited = now - _spurtWaitSince.Value;
        if (waited >= StartMaxWait)
        {
            return true;
        }

        Arm(StartMaxWait - waited);
        return false;
    }

    private void Arm(TimeSpan delay)
    {
        if (_clock is not null)
        {
            _clock.Schedule(this, _timeProvider.GetTimestamp() + (long)(delay.Ticks * (_timeProvider.TimestampFrequency / (double)TimeSpan.TicksPerSecond)));
        }
        else
        {
            _timer!.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Disarm()
    {
        if (_clock is not null)
        {
            _clock.Cancel(this);
        }
        else
        {
            _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
