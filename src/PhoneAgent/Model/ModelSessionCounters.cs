namespace PhoneAgent.Model;

/// <summary>Running counts for one session (thread-safe reads). Drops are what the bounded buffers discarded.</summary>
public sealed class ModelSessionCounters
{
    private long _inputAudioDroppedBytes;
    private long _inputAudioDroppedChunks;
    private long _outputAudioDroppedChunks;
    private long _staleOutputAudioDroppedChunks;
    private long _reconnects;
    private long _handovers;
    private long _ignoredServerFields;
    private long _badFrames;
    private long _replayAudioDroppedChunks;

    /// <summary>Caller audio dropped because no socket could take it in time (oldest first).</summary>
    public long InputAudioDroppedChunks => Volatile.Read(ref _inputAudioDroppedChunks);

    public long InputAudioDroppedBytes => Volatile.Read(ref _inputAudioDroppedBytes);

    /// <summary>Model audio dropped because the consumer fell behind the output buffer's bound.</summary>
    public long OutputAudioDroppedChunks => Volatile.Read(ref _outputAudioDroppedChunks);

    /// <summary>Queued model audio discarded because its turn was interrupted.</summary>
    public long InterruptedAudioDiscardedChunks => Volatile.Read(ref _staleOutputAudioDroppedChunks);

    public long Reconnects => Volatile.Read(ref _reconnects);

    public long Handovers => Volatile.Read(ref _handovers);

    /// <summary>Server message fields this client does not use (logged at Debug).</summary>
    public long IgnoredServerFields => Volatile.Read(ref _ignoredServerFields);

    /// <summary>Server frames that were not valid messages and were skipped (logged as warnings).</summary>
    public long BadFrames => Volatile.Read(ref _badFrames);

    /// <summary>
    /// Caller audio sent after the newest resumable handle that fell out of the bounded replay buffer (so would not be
    /// replayed to a connection resumed with that handle).
    /// </summary>
    public long ReplayAudioDroppedChunks => Volatile.Read(ref _replayAudioDroppedChunks);

    internal void ReplayAudioDropped() => Interlocked.Increment(ref _replayAudioDroppedChunks);

    internal void BadFrameSkipped() => Interlocked.Increment(ref _badFrames);

    internal void InputAudioDropped(int bytes)
    {
        Interlocked.Increment(ref _inputAudioDroppedChunks);
        Interlocked.Add(ref _inputAudioDroppedBytes, bytes);
    }

    internal void OutputAudioDropped() => Interlocked.Increment(ref _outputAudioDroppedChunks);

    internal void InterruptedAudioDiscarded() => Interlocked.Increment(ref _staleOutputAudioDroppedChunks);

    internal void Reconnected() => Interlocked.Increment(ref _reconnects);

    internal void HandedOver() => Interlocked.Increment(ref _handovers);

    internal void IgnoredServerField() => Interlocked.Increment(ref _ignoredServerFields);
}
