namespace PhoneAgent.CallReplay.Playback;

/// <summary>Something that happened on the simulated playback clock, at <see cref="At"/> (call time).</summary>
public abstract record PlaybackEvent(TimeSpan At);

/// <summary>Agent audio starts playing after silence. <paramref name="Gap"/>: since the previous audio ended (null for the first).</summary>
public sealed record AudioStartedEvent(TimeSpan At, TimeSpan? Gap, PlayedChunk Chunk) : PlaybackEvent(At);

/// <summary>A piece of agent audio has been played: <paramref name="Audio"/> started at <see cref="PlaybackEvent.At"/>.</summary>
public sealed record AudioHeardEvent(TimeSpan At, ReadOnlyMemory<byte> Audio, PlayedChunk Chunk) : PlaybackEvent(At);

/// <summary>The buffer ran dry: the caller hears silence from here on.</summary>
public sealed record AudioDrainedEvent(TimeSpan At, PlayedChunk LastChunk) : PlaybackEvent(At);

/// <summary>A mark comes back: played (its audio was heard) or cleared (a <c>clear</c> dropped the audio before it).</summary>
public sealed record MarkEchoEvent(TimeSpan At, string Name, bool Played) : PlaybackEvent(At);

/// <summary>A <c>clear</c>: <paramref name="Dropped"/> of buffered audio never played; <paramref name="MarksEchoed"/> marks came back at once.</summary>
public sealed record ClearedEvent(TimeSpan At, TimeSpan Dropped, int MarksEchoed, bool WasPlaying, PlayedChunk? Interrupted) : PlaybackEvent(At);

/// <summary>The stream ended with <paramref name="Dropped"/> of audio still unplayed and <paramref name="MarksPending"/> marks never echoed.</summary>
public sealed record StreamEndedEvent(TimeSpan At, TimeSpan Dropped, int MarksPending) : PlaybackEvent(At);

/// <summary>Audio beyond the outbound buffer cap was thrown away.</summary>
public sealed record OverflowEvent(TimeSpan At, int DroppedBytes) : PlaybackEvent(At);
