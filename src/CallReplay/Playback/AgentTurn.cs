namespace PhoneAgent.CallReplay.Playback;

/// <summary>One turn of the agent as the caller heard it.</summary>
public sealed class AgentTurn
{
    internal AgentTurn(int number, int stream, int? tag, TimeSpan firstReceived, TimeSpan start)
    {
        Number = number;
        Stream = stream;
        Tag = tag;
        FirstReceived = firstReceived;
        Start = start;
        End = start;
    }

    /// <summary>1-based, in the order the turns started playing.</summary>
    public int Number { get; }

    /// <summary>Which stream of the call carried it (1-based).</summary>
    public int Stream { get; }

    /// <summary>The turn tag from its marks or tones (<see cref="TurnTags"/>), when it carried one.</summary>
    public int? Tag { get; internal set; }

    /// <summary>When its first audio arrived (call time).</summary>
    public TimeSpan FirstReceived { get; }

    /// <summary>When the caller started hearing it (call time).</summary>
    public TimeSpan Start { get; }

    /// <summary>When the caller stopped hearing it (call time).</summary>
    public TimeSpan End { get; internal set; }

    /// <summary>How much of it the caller heard.</summary>
    public TimeSpan Heard { get; internal set; }

    /// <summary>How much the server sent.</summary>
    public TimeSpan Received { get; internal set; }

    /// <summary>Audio of this turn that was never heard (cleared, or cut by the end of the stream).</summary>
    public TimeSpan Dropped => Received - Heard;

    /// <summary>Whether a <c>clear</c> cut it (barge-in).</summary>
    public bool Interrupted { get; internal set; }

    /// <summary>Whether the end of the stream cut it.</summary>
    public bool CutByStreamEnd { get; internal set; }

    /// <summary>Silences inside the turn: the buffer ran dry and audio of the same turn came later.</summary>
    public List<Underrun> Underruns { get; } = [];

    /// <summary>Chunks of audio it was made of.</summary>
    public int Chunks { get; internal set; }

    /// <summary>20 ms frames the caller heard.</summary>
    public int FramesHeard => (int)(Heard.Ticks / TimeSpan.FromMilliseconds(20).Ticks);

    public override string ToString() => $"agent turn {Number}{(Tag is null ? "" : $" (tag {Tag})")}";
}

/// <summary>One 20 ms slot of call time in which the caller heard agent audio, and whose turn it was.</summary>
/// <param name="Slot">Index of the 20 ms slot since the call started.</param>
/// <param name="AgentTurn">The <see cref="AgentTurn.Number"/>.</param>
/// <param name="Tag">The turn's tag, if any.</param>
public readonly record struct HeardFrame(long Slot, int AgentTurn, int? Tag)
{
    public TimeSpan At => TimeSpan.FromMilliseconds(Slot * 20);
}

/// <summary>Groups played chunks into agent turns and attributes every heard 20 ms slot to one.</summary>
public static class AgentTurnBuilder
{
    /// <summary>
    /// Builds the turns from every chunk of the call, in order. A new turn starts on a new stream, after a
    /// <c>clear</c> or a turn's final mark, when the turn tag changes, or, when the tags cannot tell, after a silence of
    /// at least <paramref name="turnGap"/>. Shorter silences within a turn are underruns.
    /// </summary>
    public static IReadOnlyList<AgentTurn> Build(IEnumerable<PlayedChunk> chunks, TimeSpan turnGap) => Group(chunks, turnGap).Turns;

    /// <summary>Every 20 ms slot of call time with agent audio, attributed to the turn heard first in it.</summary>
    public static IReadOnlyList<HeardFrame> Frames(IEnumerable<PlayedChunk> chunks, TimeSpan turnGap)
    {
        var (_, turnOf) = Group(chunks, turnGap);
        var slotTicks = TimeSpan.FromMilliseconds(20).Ticks;
        var frames = new SortedDictionary<long, HeardFrame>();
        foreach (var (chunk, turn) in turnOf)
        {
            if (chunk.PlayedBytes == 0)
            {
                continue;
            }

            for (var slot = chunk.Start.Ticks / slotTicks; slot * slotTicks < chunk.PlayedEnd.Ticks; slot++)
            {
                if (!frames.TryGetValue(slot, out var existing) || existing.AgentTurn > turn.Number)
                {
                    frames[slot] = new HeardFrame(slot, turn.Number, turn.Tag);
                }
            }
        }

        return [.. frames.Values];
    }

    private static (List<AgentTurn> Turns, Dictionary<PlayedChunk, AgentTurn> TurnOf) Group(IEnumerable<PlayedChunk> chunks, TimeSpan turnGap)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var turns = new List<AgentTurn>();
        var turnOf = new Dictionary<PlayedChunk, AgentTurn>();
        AgentTurn? current = null;
        PlayedChunk? previous = null;
        foreach (var chunk in chunks)
        {
            if (chunk.Bytes == 0)
            {
                continue;
            }

            var tag = chunk.MarkTurn ?? chunk.ToneTag;
            var gap = previous is null ? TimeSpan.Zero : chunk.Start - previous.PlayedEnd;
            var isNew = current is null || previous is null
                || chunk.Stream != previous.Stream
                || (previous.DroppedAt is not null && previous.DroppedAt != chunk.DroppedAt) // after a clear (not dropped by the same one)
                || previous.BeforeFinalMark
                || (tag is not null && current.Tag is not null ? tag != current.Tag : gap >= turnGap);
            if (isNew)
            {
                current = new AgentTurn(turns.Count + 1, chunk.Stream, tag, chunk.Received, chunk.Start);
                turns.Add(current);
            }
            else
            {
                current!.Tag ??= tag;
                if (gap > TimeSpan.Zero && chunk.PlayedBytes > 0)
                {
                    current.Underruns.Add(new Underrun(chunk.Start, gap));
                }
            }

            current.Chunks++;
            current.Received += chunk.Duration;
            current.Heard += PlaybackSimulator.DurationOf(chunk.PlayedBytes);
            if (chunk.PlayedBytes > 0)
            {
                current.End = chunk.PlayedEnd;
            }

            current.Interrupted |= chunk.Fate == ChunkFate.Cleared && chunk.PlayedBytes < chunk.Bytes;
            current.CutByStreamEnd |= chunk.Fate == ChunkFate.StreamEnded && chunk.PlayedBytes < chunk.Bytes;
            turnOf[chunk] = current;
            previous = chunk;
        }

        return (turns, turnOf);
    }
}
