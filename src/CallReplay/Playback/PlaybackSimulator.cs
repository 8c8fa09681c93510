namespace PhoneAgent.CallReplay.Playback;

/// <summary>
/// Twilio's outbound audio buffer for one stream, on a simulated playback clock: audio plays in arrival order at
/// 8000 bytes per second (20 ms per 160 bytes), marks come back when the audio before them has played, and
/// <c>clear</c> drops what has not played and sends back every pending mark at once.
/// </summary>
/// <remarks>
/// <para>Pure and deterministic: every method takes the current call time and appends what happened, with the exact
/// time it happened on the playback clock, to a list. <see cref="NextDue"/> says when to call <see cref="AdvanceTo"/>
/// next. Not thread-safe: one owner (the stream session serializes access).</para>
/// <para>Audio is a byte stream: messages of any size play back to back. When the buffer is empty, new audio starts at
/// the next 20 ms packet boundary of the stream (Twilio sends RTP packets on a fixed 20 ms clock). A mark sent when
/// nothing is buffered comes back at once.</para>
/// </remarks>
public sealed class PlaybackSimulator
{
    /// <summary>One byte of 8 kHz μ-law lasts 125 µs (1250 ticks).</summary>
    private const long TicksPerByte = TimeSpan.TicksPerSecond / 8000;

    private readonly PlaybackOptions _options;
    private readonly LinkedList<object> _queue = new(); // PlayedChunk and PendingMark, in playback order
    private readonly List<PlayedChunk> _chunks = [];
    private readonly HashSet<PlayedChunk> _started = [];           // chunks whose first sample has played
    private readonly Dictionary<PlayedChunk, byte[]> _audio = [];  // the bytes of chunks still queued
    private int _queuedChunks;
    private TimeSpan _playEnd;          // when everything queued so far has played
    private TimeSpan? _lastAudioEnd;    // end of the last audio that played (or is scheduled), for gaps
    private int _firstChunkSinceMark;   // index into _chunks of the first chunk not yet followed by a mark
    private bool _ended;

    public PlaybackSimulator(PlaybackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _playEnd = options.Origin;
    }

    /// <summary>Every chunk of audio received, in order, with its fate.</summary>
    public IReadOnlyList<PlayedChunk> Chunks => _chunks;

    /// <summary>Marks received and not yet echoed.</summary>
    public int PendingMarks => _queue.Count(e => e is PendingMark);

    /// <summary>The largest amount of unplayed audio held at once.</summary>
    public TimeSpan MaxBuffered { get; private set; }

    /// <summary>When something next happens on the playback clock (audio starts or ends, a mark is due), if anything.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            var head = _queue.First?.Value;
            return head switch
            {
                PlayedChunk c when !_started.Contains(c) => c.Start,
                PlayedChunk c => c.ScheduledEnd,
                PendingMark m => m.Due,
                _ => null,
            };
        }
    }

    /// <summary>Whether audio is playing (or buffered to play) at <paramref name="now"/>.</summary>
    public bool IsPlaying(TimeSpan now) => _playEnd > now;

    /// <summary>Unplayed audio held at <paramref name="now"/>.</summary>
    public TimeSpan BufferedAt(TimeSpan now) => _playEnd > now ? _playEnd - now : TimeSpan.Zero;

    /// <summary>When the last audio received so far has finished (or will finish) playing.</summary>
    public TimeSpan? LastAudioEnd => _lastAudioEnd;

    public static TimeSpan DurationOf(int bytes) => TimeSpan.FromTicks(bytes * TicksPerByte);

    /// <summary>A <c>media</c> message arrived with <paramref name="muLaw"/> (its bytes are kept, not copied).</summary>
    public void EnqueueAudio(TimeSpan now, byte[] muLaw, List<PlaybackEvent> events, int stream = 1)
    {
        ArgumentNullException.ThrowIfNull(muLaw);
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_ended, this);
        AdvanceTo(now, events);
        var contiguous = _playEnd >= now;
        var start = contiguous ? _playEnd : AlignUp(now);
        var bytes = muLaw.Length;
        if (_options.BufferCap is { } cap)
        {
            var room = cap - (start - now);
            var fits = room <= TimeSpan.Zero ? 0 : (int)Math.Min(bytes, room.Ticks / TicksPerByte);
            if (fits < bytes)
            {
                events.Add(new OverflowEvent(now, bytes - fits));
                bytes = fits;
            }
        }

        var chunk = new PlayedChunk(_chunks.Count + 1, stream, now, start, bytes);
        _chunks.Add(chunk);
        if (bytes == 0)
        {
            chunk.Fate = ChunkFate.Overflowed;
            return;
        }

        if (_options.DetectToneTags)
        {
            chunk.ToneTag = TurnTags.DetectTone(muLaw.AsSpan(0, bytes));
        }

        if (chunk.ToneTag is null && _queue.Last?.Value is PlayedChunk previous && previous.ScheduledEnd == start)
        {
            chunk.ToneTag = previous.ToneTag;
        }

        _audio[chunk] = muLaw;
        _queue.AddLast(chunk);
        _queuedChunks++;
        _playEnd = chunk.ScheduledEnd;
        _lastAudioEnd = _playEnd;
        var buffered = _playEnd - now;
        if (buffered > MaxBuffered)
        {
            MaxBuffered = buffered;
        }

        AdvanceTo(now, events);
    }

    /// <summary>A <c>mark</c> arrived: it comes back once the audio before it has played (at once if none is buffered).</summary>
    public void EnqueueMark(TimeSpan now, string name, List<PlaybackEvent> events)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_ended, this);
        AdvanceTo(now, events);
        if (TurnTags.TryParseMark(name, out var turn, out var final))
        {
            for (var i = _firstChunkSinceMark; i < _chunks.Count; i++)
            {
                _chunks[i].MarkTurn ??= turn;
            }

            if (final && _chunks.Count > _firstChunkSinceMark)
            {
                _chunks[^1].BeforeFinalMark = true;
            }
        }

        _firstChunkSinceMark = _chunks.Count;
        if (_playEnd <= now)
        {
            events.Add(new MarkEchoEvent(now, name, Played: true));
            return;
        }

        _queue.AddLast(new PendingMark(name, _playEnd));
    }

    /// <summary>A <c>clear</c> arrived: unplayed audio is dropped and every pending mark comes back now.</summary>
    public void Clear(TimeSpan now, List<PlaybackEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_ended, this);
        AdvanceTo(now, events);
        var wasPlaying = _playEnd > now;
        var (dropped, interrupted, marks) = DropAll(now, ChunkFate.Cleared, events, echoMarks: true);
        events.Add(new ClearedEvent(now, dropped, marks, wasPlaying, interrupted));
    }

    /// <summary>The stream ended at <paramref name="now"/>: audio still buffered is never heard, pending marks never come back.</summary>
    public void EndStream(TimeSpan now, List<PlaybackEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_ended)
        {
            return;
        }

        AdvanceTo(now, events);
        var (dropped, _, marks) = DropAll(now, ChunkFate.StreamEnded, events, echoMarks: false);
        events.Add(new StreamEndedEvent(now, dropped, marks));
        _ended = true;
    }

    /// <summary>Plays everything due up to <paramref name="now"/>.</summary>
    public void AdvanceTo(TimeSpan now, List<PlaybackEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        while (_queue.First is { } node)
        {
            if (node.Value is PendingMark mark)
            {
                if (mark.Due > now)
                {
                    return;
                }

                events.Add(new MarkEchoEvent(mark.Due, mark.Name, Played: true));
                _queue.RemoveFirst();
                continue;
            }

            var chunk = (PlayedChunk)node.Value;
            if (chunk.Start > now)
            {
                return;
            }

            if (_started.Add(chunk))
            {
                var previous = chunk.Sequence >= 2 ? LastPlayedBefore(chunk) : null;
                if (previous is null || previous.PlayedEnd < chunk.Start || previous.Fate != ChunkFate.Played)
                {
                    events.Add(new AudioStartedEvent(chunk.Start, previous is null ? null : chunk.Start - previous.PlayedEnd, chunk));
                }
            }

            if (chunk.ScheduledEnd > now)
            {
                return;
            }

            chunk.PlayedBytes = chunk.Bytes;
            chunk.Fate = ChunkFate.Played;
            events.Add(new AudioHeardEvent(chunk.Start, _audio[chunk].AsMemory(0, chunk.Bytes), chunk));
            _audio.Remove(chunk);
            _started.Remove(chunk);
            _queue.RemoveFirst();
            if (--_queuedChunks == 0)
            {
                events.Add(new AudioDrainedEvent(chunk.ScheduledEnd, chunk));
            }
        }
    }

    private (TimeSpan Dropped, PlayedChunk? Interrupted, int Marks) DropAll(TimeSpan now, ChunkFate fate, List<PlaybackEvent> events, bool echoMarks)
    {
        var dropped = TimeSpan.Zero;
        PlayedChunk? interrupted = null;
        var marks = 0;
        foreach (var entry in _queue)
        {
            switch (entry)
            {
                case PendingMark mark:
                    marks++;
                    if (echoMarks)
                    {
                        events.Add(new MarkEchoEvent(now, mark.Name, Played: false));
                    }

                    break;
                case PlayedChunk chunk:
                    var played = chunk.Start >= now ? 0 : (int)Math.Min(chunk.Bytes, (now - chunk.Start).Ticks / TicksPerByte);
                    chunk.PlayedBytes = played;
                    chunk.Fate = fate;
                    chunk.DroppedAt = now;
                    dropped += DurationOf(chunk.Bytes - played);
                    if (played > 0)
                    {
                        interrupted = chunk;
                        events.Add(new AudioHeardEvent(chunk.Start, _audio[chunk].AsMemory(0, played), chunk));
                    }

                    _audio.Remove(chunk);
                    _started.Remove(chunk);
                    break;
            }
        }

        _queue.Clear();
        _queuedChunks = 0;
        if (_playEnd > now)
        {
            _playEnd = now;
            _lastAudioEnd = now;
        }

        _firstChunkSinceMark = _chunks.Count;
        return (dropped, interrupted, marks);
    }

    private PlayedChunk? LastPlayedBefore(PlayedChunk chunk)
    {
        for (var i = (int)chunk.Sequence - 2; i >= 0; i--)
        {
            if (_chunks[i].PlayedBytes > 0 || _started.Contains(_chunks[i]))
            {
                return _chunks[i];
            }
        }

        return null;
    }

    /// <summary>The next 20 ms packet boundary of the stream at or after <paramref name="t"/>.</summary>
    private TimeSpan AlignUp(TimeSpan t)
    {
        var frame = _options.FrameDuration.Ticks;
        var offset = (t - _options.Origin).Ticks;
        if (offset <= 0)
        {
            return _options.Origin;
        }

        return _options.Origin + TimeSpan.FromTicks((offset + frame - 1) / frame * frame);
    }

    private sealed record PendingMark(string Name, TimeSpan Due);
}

/// <summary>Settings of a <see cref="PlaybackSimulator"/>.</summary>
public sealed record PlaybackOptions
{
    /// <summary>Call time at which the stream started (its packet clock starts there).</summary>
    public TimeSpan Origin { get; init; }

    /// <summary>Length of one outbound RTP packet. The default value is 20 ms.</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Most unplayed audio Twilio holds; beyond it new audio is dropped. Twilio documents no limit (protocol notes §3.1,
    /// §10 item 4). The default value is <see langword="null"/> (no cap; the largest lead is measured instead).
    /// </summary>
    public TimeSpan? BufferCap { get; init; }

    /// <summary>Whether to look for tone turn tags (<see cref="TurnTags.DetectTone"/>). The default value is <see langword="true"/>.</summary>
    public bool DetectToneTags { get; init; } = true;
}
