using PhoneAgent.CallReplay.Playback;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>
/// Per-call measurements: the generator's own send lateness as it goes, and, at the end, the latencies a caller
/// experiences, computed from the recording's utterances and what was heard when.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _lateness = [];

    /// <summary>A caller frame went out <paramref name="lateness"/> after its deadline.</summary>
    public void RecordSendLateness(TimeSpan lateness)
    {
        lock (_lock)
        {
            _lateness.Add(lateness < TimeSpan.Zero ? TimeSpan.Zero : lateness);
        }
    }

    /// <summary>The call's measurements.</summary>
    /// <param name="recording">The caller's recording.</param>
    /// <param name="origin">Call time at which the recording started playing (null if no stream ever started).</param>
    /// <param name="chunks">Every chunk of agent audio, over all streams.</param>
    /// <param name="turns">The agent turns built from them.</param>
    /// <param name="streams">The call's streams.</param>
    public CallMeasurements Build(RecordedCall recording, TimeSpan? origin, IReadOnlyList<PlayedChunk> chunks, IReadOnlyList<AgentTurn> turns, IReadOnlyList<StreamResult> streams)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(streams);
        var heardTurns = turns.Where(t => t.Heard > TimeSpan.Zero).ToList();
        var responses = new List<ResponseLatency>();
        var bargeIns = new List<BargeIn>();
        if (origin is { } o)
        {
            var utterances = recording.Utterances;
            for (var i = 0; i < utterances.Count; i++)
            {
                var end = o + utterances[i].End;
                var next = i + 1 < utterances.Count ? o + utterances[i + 1].Start : TimeSpan.MaxValue;
                var answer = heardTurns.FirstOrDefault(t => t.Start >= end && t.Start < next);
                responses.Add(new ResponseLatency(i, utterances[i].Text, end, answer?.Start, answer?.Number));

                var start = o + utterances[i].Start;
                var playing = heardTurns.FirstOrDefault(t => t.Start <= start && t.End > start);
                if (playing is not null)
                {
                    bargeIns.Add(new BargeIn(i, start, playing.Number, playing.Interrupted, playing.End));
                }
            }
        }

        TimeSpan[] lateness;
        lock (_lock)
        {
            lateness = [.. _lateness];
        }

        return new CallMeasurements
        {
            SetupTime = heardTurns.Count == 0 ? null : heardTurns[0].Start,
            Responses = responses,
            BargeIns = bargeIns,
            Underruns = [.. turns.SelectMany(t => t.Underruns)],
            MediaFramesSent = streams.Sum(s => s.MediaFramesSent),
            MediaFramesSuppressed = streams.Sum(s => s.MediaFramesSuppressed),
            SendLateness = DistributionSummary.Of(lateness),
            MaxOutboundBuffer = streams.Count == 0 ? TimeSpan.Zero : streams.Max(s => s.MaxBuffered),
            Clears = streams.Sum(s => s.Clears),
            MarksEchoedPlayed = streams.Sum(s => s.MarksEchoedPlayed),
            MarksEchoedCleared = streams.Sum(s => s.MarksEchoedCleared),
            InvalidMessages = streams.Sum(s => s.InvalidMessages + s.BinaryMessages),
        };
    }
}
