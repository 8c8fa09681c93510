using PhoneAgent.Model;

namespace PhoneAgent.Bridge;

/// <summary>
/// Model → caller: takes model speech off the session's audio lane as soon as it arrives, turns it into whole μ-law
/// frames and hands them to the <see cref="PlayoutPacer"/>; handles barge-in and turn ends.
/// </summary>
/// <remarks>
/// <para>
/// The lane is drained at once (the pacer's queue is the buffer, bounded by time), so the Gemini receive loop never
/// waits on us and the audio received per model turn is known exactly: the denominator of the heard-text fraction.
/// </para>
/// <para>
/// Each model turn that has audio gets a new playout turn (marks <c>t{turn}.f{frames}</c>); a model chunk's last
/// frame is followed by a mark. A new model turn resets the resampler, so nothing of the old turn leaks into it.
/// </para>
/// </remarks>
internal sealed class DownstreamAudioPump : IDisposable
{
    private const int KeptTurns = 16;

    private readonly PlayoutPacer _pacer;
    private readonly TimeProvider _timeProvider;
    private readonly BridgeMetrics? _metrics;
    private readonly ModelAudioFramer _framer;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, TurnAudio> _turns = [];
    private PlayoutFrame[] _scratch = new PlayoutFrame[32];
    private long _currentTurn = -1;
    private long _discardThrough = -1;
    private long _lastSequence = -1;
    private long _flushPendingTurn = -1;
    private System.Threading.Channels.ChannelReader<ModelAudioChunk>? _lane;
    private bool _disposed;

    public DownstreamAudioPump(PlayoutPacer pacer, TimeProvider timeProvider, BridgeMetrics? metrics = null, int modelSampleRate = 24_000)
    {
        _framer = new ModelAudioFramer(modelSampleRate);
        _pacer = pacer;
        _timeProvider = timeProvider;
        _metrics = metrics;
    }

    /// <summary>A model turn's first audio arrived: (model turn, playout turn).</summary>
    public Action<long, int>? TurnStarted { get; set; }

    /// <summary>How often the downstream resampler was reset (tests check barge-in does it).</summary>
    public int ResamplerResets
    {
        get
        {
            lock (_gate)
            {
                return _framer.Resets;
            }
        }
    }

    public PlayoutPacer Pacer => _pacer;

    /// <summary>Reads the lane until it completes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(System.Threading.Channels.ChannelReader<ModelAudioChunk> audio, CancellationToken cancellationToken)
    {
        _lane = audio;
        try
        {
            while (await audio.WaitToReadAsync(cancellationToken))
            {
                while (audio.TryRead(out var chunk))
                {
                    using (chunk)
                    {
                        Ingest(chunk.Turn, chunk.Sequence, chunk.Pcm.Span, chunk.SampleRate, chunk.Duration);
                    }
                }

                lock (_gate)
                {
                    FlushPendingLocked(); // the lane is empty: a finished generation's last partial frame can go now
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call is over.
        }
    }

    /// <summary>One chunk of model speech (the caller keeps ownership of <paramref name="pcm"/>).</summary>
    public void Ingest(long modelTurn, long sequence, ReadOnlySpan<byte> pcm, int sampleRate, TimeSpan duration)
    {
        var started = _timeProvider.GetTimestamp();
        var newTurn = 0;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _lastSequence = Math.Max(_lastSequence, sequence);
            if (modelTurn <= _discardThrough)
            {
                _metrics?.FramesDropped(BridgeMetrics.ModelToCaller, "interrupted", (long)Math.Ceiling(duration / PlayoutPacer.FrameDuration));
                return;
            }

            if (!_turns.TryGetValue(modelTurn, out var info) || modelTurn != _currentTurn)
            {
                var announced = info is { Reserved: true };
                info = StartTurnLocked(modelTurn);
                newTurn = announced ? 0 : info.PlayoutTurn;
            }

            info.Received += duration;
            info.LastSequence = sequence;
            var count = _framer.Write(pcm, sampleRate, info.PlayoutTurn, ref _scratch, 0);
            if (count > 0)
            {
                _scratch[count - 1].MarkAfter = true;
                _scratch[0].ProcessingTicks = Math.Max(1, _timeProvider.GetTimestamp() - started);
                info.Frames += count;
                _pacer.Enqueue(_scratch.AsSpan(0, count));
                _scratch.AsSpan(0, count).Clear();
            }

            if (info.CompleteAfter is { } last && sequence >= last)
            {
                FinishLocked(info);
            }
        }

        if (newTurn != 0)
        {
            TurnStarted?.Invoke(modelTurn, newTurn);
        }
    }

    /// <summary>
    /// The model says <paramref name="modelTurn"/> is over (<paramref name="lastSequence"/>: its last chunk). Its final
    /// frame and mark go out once that chunk has been framed.
    /// </summary>
    /// <returns>The turn's playout turn, or 0 when it had no audio.</returns>
    public int CompleteTurn(long modelTurn, long lastSequence)
    {
        var newTurn = 0;
        int playoutTurn;
        lock (_gate)
        {
            if (modelTurn <= _discardThrough)
            {
                return 0;
            }

            if (!_turns.TryGetValue(modelTurn, out var info))
            {
                // The event lane can overtake the audio lane: the turn had audio (lastSequence) that is not framed yet.
                // Its playout turn starts now, so whoever waits for it (a hang-up after the goodbye) has one to wait on.
                if (lastSequence < 0 || lastSequence <= _lastSequence || modelTurn <= _currentTurn)
                {
                    return 0;
                }

                // It may even overtake the current turn's last audio: starting the turn now would end that one early
                // and give its remaining audio a playout turn of its own. The turn's number is reserved instead and
                // it starts when its first audio comes, after the current turn's.
                info = _turns.TryGetValue(_currentTurn, out var current) && !current.Ended
                    ? ReserveTurnLocked(modelTurn)
                    : StartTurnLocked(modelTurn);
                newTurn = info.PlayoutTurn;
            }

            if (lastSequence < 0 || info.LastSequence >= lastSequence)
            {
                FinishLocked(info);
            }
            else
            {
                info.CompleteAfter = lastSequence;
            }

            playoutTurn = info.PlayoutTurn;
        }

        if (newTurn != 0)
        {
            TurnStarted?.Invoke(modelTurn, newTurn);
        }

        return playoutTurn;
    }

    /// <summary>
    /// The model finished generating <paramref name="modelTurn"/>: once its audio is all framed (the lane is empty), the
    /// last partial frame goes out padded with silence at once, instead of waiting for <c>turnComplete</c>, which the
    /// model sends only when it thinks playback is over (a late tail would be heard as a click after a pause).
    /// </summary>
    public void GenerationComplete(long modelTurn)
    {
        lock (_gate)
        {
            if (modelTurn != _currentTurn || modelTurn <= _discardThrough)
            {
                return;
            }

            _flushPendingTurn = modelTurn;
            if (_lane is null or { CanCount: true, Count: 0 })
            {
                FlushPendingLocked();
            }
        }
    }

    /// <summary>
    /// Barge-in: from now on audio of model turns up to <paramref name="modelTurn"/> is dropped; every queued frame is
    /// discarded, the resampler reset, and <c>clear</c> sent (even when nothing was queued here: Twilio may still hold
    /// up to the lead).
    /// </summary>
    public InterruptedTurn Interrupt(long modelTurn)
    {
        lock (_gate)
        {
            _discardThrough = Math.Max(_discardThrough, modelTurn);
            if (_currentTurn <= modelTurn)
            {
                _framer.Reset();
                if (_turns.TryGetValue(_currentTurn, out var current))
                {
                    current.Ended = true;
                }
            }

            var (dropped, clearWritten) = _pacer.Clear();
            _metrics?.FramesDropped(BridgeMetrics.ModelToCaller, "interrupted", dropped);
            return _turns.TryGetValue(modelTurn, out var info)
                ? new InterruptedTurn(info.PlayoutTurn, info.Received, dropped, clearWritten)
                : new InterruptedTurn(0, TimeSpan.Zero, dropped, clearWritten);
        }
    }

    /// <summary>The playout turn of <paramref name="modelTurn"/> and the audio received for it; (0, 0) when it had none.</summary>
    public (int PlayoutTurn, TimeSpan Received) Lookup(long modelTurn)
    {
        lock (_gate)
        {
            return _turns.TryGetValue(modelTurn, out var info) ? (info.PlayoutTurn, info.Received) : (0, TimeSpan.Zero);
        }
    }

    /// <summary>Audio received for the model turn played as <paramref name="playoutTurn"/> (zero when unknown).</summary>
    public TimeSpan ReceivedForPlayoutTurn(int playoutTurn)
    {
        lock (_gate)
        {
            foreach (var info in _turns.Values)
            {
                if (info.PlayoutTurn == playoutTurn)
                {
                    return info.Received;
                }
            }

            return TimeSpan.Zero;
        }
    }

    /// <summary>The sequence of the newest chunk taken off the lane (-1 before any).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>Plays <paramref name="cueMuLaw"/> (whole frames, looped to <paramref name="duration"/>) after whatever is queued, as its own turn.</summary>
    public void StartHoldCue(ReadOnlySpan<byte> cueMuLaw, TimeSpan duration)
    {
        var frames = Math.Max(1, (int)(duration / PlayoutPacer.FrameDuration));
        var perCycle = cueMuLaw.Length / PlayoutFrame.Bytes;
        if (perCycle == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var turn = _pacer.NewTurn();
            var batch = new PlayoutFrame[frames];
            for (var i = 0; i < frames; i++)
            {
                var frame = PlayoutFrame.Rent(turn);
                cueMuLaw.Slice(i % perCycle * PlayoutFrame.Bytes, PlayoutFrame.Bytes).CopyTo(frame.Buffer);
                frame.Cue = true;
                frame.EndOfTurn = i == frames - 1;
                batch[i] = frame;
            }

            _pacer.Enqueue(batch);
        }
    }

    /// <summary>Drops the hold cue's queued frames.</summary>
    public void StopHoldCue() => _pacer.DropCue();

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _framer.Reset();
        }
    }

    private void FlushPendingLocked()
    {
        if (_flushPendingTurn < 0 || _flushPendingTurn != _currentTurn || !_turns.TryGetValue(_currentTurn, out var info) || info.Ended)
        {
            _flushPendingTurn = -1;
            return;
        }

        _flushPendingTurn = -1;
        if (_framer.Flush(out var last))
        {
            last.MarkAfter = true;
            _scratch[0] = last;
            info.Frames++;
            _pacer.Enqueue(_scratch.AsSpan(0, 1));
            _scratch[0] = default;
        }
    }

    /// <summary>
    /// A new model turn: the older one ends, nothing of it leaks into this one, and it gets a playout turn (the one
    /// reserved for it, if any).
    /// </summary>
    private TurnAudio StartTurnLocked(long modelTurn)
    {
        if (_currentTurn >= 0 && _turns.TryGetValue(_currentTurn, out var previous))
        {
            FinishLocked(previous); // a newer turn ends the older one
        }

        _framer.Reset();
        _pacer.DropCue();
        if (!_turns.TryGetValue(modelTurn, out var info) || !info.Reserved)
        {
            info = new TurnAudio(_pacer.NewTurn());
            _turns[modelTurn] = info;
        }

        info.Reserved = false;
        _currentTurn = modelTurn;
        Prune();
        return info;
    }

    /// <summary>A model turn known to follow the current one: its playout turn is taken now, it starts with its audio.</summary>
    private TurnAudio ReserveTurnLocked(long modelTurn)
    {
        var info = new TurnAudio(_pacer.NewTurn()) { Reserved = true };
        _turns[modelTurn] = info;
        Prune();
        return info;
    }

    private void FinishLocked(TurnAudio info)
    {
        if (info.Ended)
        {
            return;
        }

        info.Ended = true;
        if (_turns.TryGetValue(_currentTurn, out var current) && ReferenceEquals(current, info) && _framer.Flush(out var last))
        {
            _scratch[0] = last;
            info.Frames++;
            _pacer.Enqueue(_scratch.AsSpan(0, 1));
            _scratch[0] = default;
        }

        _pacer.EndTurn(info.PlayoutTurn);
    }

    private void Prune()
    {
        if (_turns.Count <= KeptTurns)
        {
            return;
        }

        var oldest = _turns.Keys.Min();
        _turns.Remove(oldest);
    }

    private sealed class TurnAudio(int playoutTurn)
    {
        public int PlayoutTurn { get; } = playoutTurn;

        public TimeSpan Received { get; set; }

        public int Frames { get; set; }

        public long LastSequence { get; set; } = -1;

        public long? CompleteAfter { get; set; }

        /// <summary>Its playout turn is taken but its audio has not started (see <see cref="ReserveTurnLocked"/>).</summary>
        public bool Reserved { get; set; }

        public bool Ended { get; set; }
    }
}

/// <summary>What a barge-in cut: the playout turn (0 when the model turn had no audio), the audio received for it, frames dropped here, and the <c>clear</c> write.</summary>
internal readonly record struct InterruptedTurn(int PlayoutTurn, TimeSpan Received, int Dropped, Task ClearWritten);
