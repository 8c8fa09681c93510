namespace PhoneAgent.CallReplay.Playback;

/// <summary>One <c>media</c> message of agent audio and what became of it.</summary>
public sealed class PlayedChunk
{
    internal PlayedChunk(long sequence, int stream, TimeSpan received, TimeSpan start, int bytes)
    {
        Sequence = sequence;
        Stream = stream;
        Received = received;
        Start = start;
        Bytes = bytes;
    }

    /// <summary>Order of arrival within the stream (1-based).</summary>
    public long Sequence { get; }

    /// <summary>Which stream of the call (1-based).</summary>
    public int Stream { get; }

    /// <summary>When the message arrived (call time).</summary>
    public TimeSpan Received { get; }

    /// <summary>When its first sample plays (call time).</summary>
    public TimeSpan Start { get; }

    /// <summary>Bytes (8 kHz samples) in the message after any overflow cut.</summary>
    public int Bytes { get; }

    /// <summary>Bytes the caller heard.</summary>
    public int PlayedBytes { get; internal set; }

    public ChunkFate Fate { get; internal set; }

    /// <summary>When a <c>clear</c> or the end of the stream dropped it (call time).</summary>
    public TimeSpan? DroppedAt { get; internal set; }

    /// <summary>The turn named by the next mark after this audio, if it carried one.</summary>
    public int? MarkTurn { get; internal set; }

    /// <summary>Whether the next mark after this audio was its turn's final mark.</summary>
    public bool BeforeFinalMark { get; internal set; }

    /// <summary>The tone tag of this audio (or of the tagged audio it directly continues).</summary>
    public int? ToneTag { get; internal set; }

    public TimeSpan ScheduledEnd => Start + PlaybackSimulator.DurationOf(Bytes);

    public TimeSpan PlayedEnd => Start + PlaybackSimulator.DurationOf(PlayedBytes);

    public TimeSpan Duration => PlaybackSimulator.DurationOf(Bytes);
}

/// <summary>What became of a chunk of agent audio.</summary>
public enum ChunkFate
{
    /// <summary>Still buffered or playing.</summary>
    Pending,

    /// <summary>Played to the end.</summary>
    Played,

    /// <summary>Dropped (in part, if <see cref="PlayedChunk.PlayedBytes"/> &gt; 0) by a <c>clear</c>.</summary>
    Cleared,

    /// <summary>Dropped (in part) because the stream ended.</summary>
    StreamEnded,

    /// <summary>Dropped on arrival: the outbound buffer was full.</summary>
    Overflowed,
}
