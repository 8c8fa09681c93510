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
    private bool _disposed;

    public PlayoutPacer(IPlayoutSink sink, TimeProvider timeProvider, TimeSpan lead, TimeSpan maxBuffered, BridgeMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lead, FrameDuration);
        _sink = sink;
        _timeProvider = timeProvider;
        Lead = lead;
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
