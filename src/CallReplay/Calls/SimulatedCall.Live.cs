using PhoneAgent.CallReplay.Playback;

namespace PhoneAgent.CallReplay.Calls;

internal sealed partial class SimulatedCall
{
    private (int Index, TimeSpan At)? _lastSpeechEnd;
    private int _lastAnswered = -1;
    private TimeSpan? _spurtStart;
    private bool _heardAnything;

    /// <summary>The recording reached the end of utterance <paramref name="index"/>.</summary>
    internal void OnCallerSpeechEnd(int index, TimeSpan at)
    {
        lock (_lock)
        {
            _lastSpeechEnd = (index, at);
        }
    }

    /// <summary>Agent audio starts playing after silence.</summary>
    internal void OnAgentAudioStarted(TimeSpan at, TimeSpan? gap)
    {
        (int Index, TimeSpan At)? answered = null;
        bool first;
        lock (_lock)
        {
            first = !_heardAnything;
            _heardAnything = true;
            _spurtStart = at;
            if (_lastSpeechEnd is { } end && end.Index > _lastAnswered && end.At <= at)
            {
                _lastAnswered = end.Index;
                answered = end;
            }
        }

        if (first)
        {
            Timeline.Add(at, TimelineKinds.AgentAudioStart, $"agent speaks (first audio {at.TotalMilliseconds:0} ms after the webhook)", new Dictionary<string, object?> { ["setupMs"] = at.TotalMilliseconds });
        }
        else if (gap is { } g && g < _options.TurnGap && answered is null)
        {
            Timeline.Add(at, TimelineKinds.Underrun, $"agent audio resumes after a {g.TotalMilliseconds:0} ms gap (underrun)", new Dictionary<string, object?> { ["gapMs"] = g.TotalMilliseconds });
        }
        else
        {
            Timeline.Add(at, TimelineKinds.AgentAudioStart, "agent speaks");
        }

        if (answered is { } a)
        {
            var latency = at - a.At;
            Timeline.Add(at, TimelineKinds.ResponseLatency, $"response latency {latency.TotalMilliseconds:0} ms (end of caller utterance {a.Index + 1} → first agent audio heard)", new Dictionary<string, object?>
            {
                ["utterance"] = a.Index,
                ["latencyMs"] = latency.TotalMilliseconds,
            });
        }
    }

    /// <summary>The agent's audio ran out (or was cut).</summary>
    internal void OnAgentAudioStopped(TimeSpan at, PlayedChunk last, string how)
    {
        TimeSpan? spoke;
        lock (_lock)
        {
            spoke = at - _spurtStart;
            _spurtStart = null;
        }

        var tag = last.MarkTurn ?? last.ToneTag;
        Timeline.Add(at, TimelineKinds.AgentAudioStop, $"agent {how}{(tag is null ? "" : $" (turn {tag})")}{(spoke is { } s ? $", {s.TotalSeconds:0.00} s of audio" : "")}", new Dictionary<string, object?>
        {
            ["turnTag"] = tag,
            ["spokeMs"] = spoke?.TotalMilliseconds,
        });
    }

    /// <summary>The server sent <c>clear</c>.</summary>
    internal void OnClear(ClearedEvent cleared)
    {
        if (cleared.WasPlaying || cleared.Dropped > TimeSpan.Zero)
        {
            var tag = cleared.Interrupted is { } c ? c.MarkTurn ?? c.ToneTag : null;
            lock (_lock)
            {
                _spurtStart = null;
            }

            Timeline.Add(cleared.At, TimelineKinds.AgentInterrupted, $"agent interrupted{(tag is null ? "" : $" (turn {tag})")}: clear dropped {cleared.Dropped.TotalMilliseconds:0} ms of unplayed audio, {cleared.MarksEchoed} pending mark(s) echoed at once", new Dictionary<string, object?>
            {
                ["droppedMs"] = cleared.Dropped.TotalMilliseconds,
                ["marksEchoed"] = cleared.MarksEchoed,
                ["turnTag"] = tag,
            });
        }
        else
        {
            Timeline.Add(cleared.At, TimelineKinds.Clear, $"clear with nothing buffered ({cleared.MarksEchoed} mark(s) echoed)", new Dictionary<string, object?> { ["marksEchoed"] = cleared.MarksEchoed });
        }
    }
}
