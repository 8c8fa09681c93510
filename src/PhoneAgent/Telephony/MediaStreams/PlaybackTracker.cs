namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// Answers "how much of turn k did the caller hear", from Twilio's mark echoes, within one mark interval.
/// </summary>
/// <remarks>
/// <para>
/// Twilio echoes a mark when playback reaches it, and on <c>clear</c> echoes every pending mark at once. So: a mark
/// echoed before we sent <c>clear</c> was <b>played</b>; the marks pending when <c>clear</c> went out, echoed after
/// it, were <b>cleared</b> (not played). Marks sent after the clear are judged afresh.
/// </para>
/// <para>
/// Thread-safe: the stream's writer reports what it sent, its reader what Twilio echoed, and the bridge asks.
/// </para>
/// </remarks>
internal sealed class PlaybackTracker
{
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly List<PlaybackMark> _pending = [];
    private readonly HashSet<PlaybackMark> _clearedAtClear = [];
    private readonly Dictionary<int, TurnState> _turns = [];

    /// <summary>Whether marks are still out at Twilio (audio may still be playing; keep barge-in armed).</summary>
    public bool HasPendingMarks
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>What the caller heard of <paramref name="turn"/> so far.</summary>
    public TurnPlayback GetTurn(int turn)
    {
        lock (_gate)
        {
            return _turns.TryGetValue(turn, out var state)
                ? new TurnPlayback(turn, state.FramesMarked, state.FramesPlayed, state.Finished, state.Cleared)
                : new TurnPlayback(turn, 0, 0, Finished: false, Cleared: false);
        }
    }

    /// <summary>Frames of <paramref name="turn"/> the caller heard, as of the last mark echoed as played.</summary>
    public int FramesHeard(int turn) => GetTurn(turn).FramesPlayed;

    /// <summary>Audio of <paramref name="turn"/> the caller heard (<see cref="FramesHeard"/> × 20 ms).</summary>
    public TimeSpan Heard(int turn) => FrameDuration * FramesHeard(turn);

    /// <summary>
    /// Completes with <see langword="true"/> when the turn's final mark is echoed as played, <see langword="false"/>
    /// when the turn is cleared first (barge-in) or the stream ends.
    /// </summary>
    public Task<bool> WhenTurnPlayedAsync(int turn, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = State(turn);
            if (state.Finished || state.Cleared)
            {
                return Task.FromResult(state.Finished);
            }

            state.Waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return state.Waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The writer sent <paramref name="mark"/> (after its audio).</summary>
    internal void OnMarkSent(PlaybackMark mark)
    {
        lock (_gate)
        {
            _pending.Add(mark);
            var state = State(mark.Turn);
            state.FramesMarked = Math.Max(state.FramesMarked, mark.Frames);
        }
    }

    /// <summary>The writer sent <c>clear</c>: every mark still pending will come back as cleared.</summary>
    internal void OnClearSent()
    {
        lock (_gate)
        {
            foreach (var mark in _pending)
            {
                _clearedAtClear.Add(mark);
            }
        }
    }

    /// <summary>Twilio echoed the mark <paramref name="name"/>.</summary>
    /// <returns>The mark and whether it was played, or <see langword="null"/> when we never sent (or already saw) it.</returns>
    internal (PlaybackMark Mark, bool Played)? OnMarkEchoed(string? name)
    {
        if (!PlaybackMark.TryParse(name, out var mark))
        {
            return null;
        }

        lock (_gate)
        {
            var index = _pending.IndexOf(mark);
            if (index < 0)
            {
                return null;
            }

            _pending.RemoveAt(index);
            var state = State(mark.Turn);
            if (_clearedAtClear.Remove(mark))
            {
                state.Cleared = true;
                state.Waiter?.TrySetResult(false);
                return (mark, false);
            }

            state.FramesPlayed = Math.Max(state.FramesPlayed, mark.Frames);
            if (mark.Final)
            {
                state.Finished = true;
                state.Waiter?.TrySetResult(true);
            }

            return (mark, true);
        }
    }

    /// <summary>The stream ended: nothing more will be echoed.</summary>
    internal void OnStreamEnded()
    {
        lock (_gate)
        {
            foreach (var state in _turns.Values)
            {
                state.Waiter?.TrySetResult(false);
            }
        }
    }

    private TurnState State(int turn)
    {
        if (!_turns.TryGetValue(turn, out var state))
        {
            state = new TurnState();
            _turns[turn] = state;
        }

        return state;
    }

    private sealed class TurnState
    {
        public int FramesMarked;
        public int FramesPlayed;
        public bool Finished;
        public bool Cleared;
        public TaskCompletionSource<bool>? Waiter;
    }
}

/// <summary>What the caller heard of one turn.</summary>
/// <param name="Turn">The turn.</param>
/// <param name="FramesMarked">Frames covered by the marks sent so far.</param>
/// <param name="FramesPlayed">Frames covered by the last mark echoed as played: what the caller heard, within one mark interval.</param>
/// <param name="Finished">The turn's final mark was played: the caller heard all of it.</param>
/// <param name="Cleared">Some of the turn's marks came back cleared (barge-in): the rest was never played.</param>
internal readonly record struct TurnPlayback(int Turn, int FramesMarked, int FramesPlayed, bool Finished, bool Cleared)
{
    public TimeSpan Heard => TimeSpan.FromMilliseconds(20) * FramesPlayed;
}
