using PhoneAgent.CallReplay.Playback;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>The measurements of one call: what a caller experiences and the load tool aggregates.</summary>
public sealed record CallMeasurements
{
    /// <summary>Voice webhook sent → first agent audio heard.</summary>
    public TimeSpan? SetupTime { get; init; }

    /// <summary>For each caller utterance: end of the speech in the recording → first agent audio heard after it.</summary>
    public IReadOnlyList<ResponseLatency> Responses { get; init; } = [];

    /// <summary>For each utterance that started while the agent was audible: how long until the agent stopped.</summary>
    public IReadOnlyList<BargeIn> BargeIns { get; init; } = [];

    /// <summary>Silences inside agent turns (the outbound buffer ran dry), over all turns.</summary>
    public IReadOnlyList<Underrun> Underruns { get; init; } = [];

    public long MediaFramesSent { get; init; }

    public long MediaFramesSuppressed { get; init; }

    /// <summary>How late each caller frame was sent against its 20 ms deadline (the generator's own lateness).</summary>
    public DistributionSummary SendLateness { get; init; }

    /// <summary>The largest amount of agent audio Twilio held at once (how far ahead the server sends).</summary>
    public TimeSpan MaxOutboundBuffer { get; init; }

    public int Clears { get; init; }

    public int MarksEchoedPlayed { get; init; }

    public int MarksEchoedCleared { get; init; }

    /// <summary>Messages Twilio would have rejected (31950, 31951).</summary>
    public int InvalidMessages { get; init; }
}

/// <summary>How fast the agent answered one caller utterance.</summary>
/// <param name="Utterance">0-based index in the recording.</param>
/// <param name="Text">The utterance's text (empty when detected from energy).</param>
/// <param name="SpeechEnd">Call time at which the caller's speech ended (per the recording).</param>
/// <param name="FirstAudio">Call time at which the caller first heard the agent afterwards, if before the next utterance.</param>
/// <param name="AgentTurn">The <see cref="Playback.AgentTurn.Number"/> heard.</param>
public sealed record ResponseLatency(int Utterance, string Text, TimeSpan SpeechEnd, TimeSpan? FirstAudio, int? AgentTurn)
{
    public TimeSpan? Latency => FirstAudio - SpeechEnd;
}

/// <summary>The caller spoke over the agent.</summary>
/// <param name="Utterance">0-based index in the recording.</param>
/// <param name="SpeechStart">Call time at which the caller started speaking.</param>
/// <param name="AgentTurn">The agent turn that was playing.</param>
/// <param name="Stopped">Whether the agent's audio was cut (a <c>clear</c>), rather than played out.</param>
/// <param name="AgentAudioEnd">Call time at which the caller stopped hearing that turn.</param>
public sealed record BargeIn(int Utterance, TimeSpan SpeechStart, int AgentTurn, bool Stopped, TimeSpan AgentAudioEnd)
{
    /// <summary>Caller speech start → agent audio stopped at the caller.</summary>
    public TimeSpan Latency => AgentAudioEnd - SpeechStart;
}

/// <summary>Percentiles of a set of durations (nearest rank).</summary>
public readonly record struct DistributionSummary(int Count, TimeSpan P50, TimeSpan P95, TimeSpan P99, TimeSpan Max)
{
    public static DistributionSummary Of(IEnumerable<TimeSpan> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return default;
        }

        return new DistributionSummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    private static TimeSpan Rank(TimeSpan[] sorted, double p) => sorted[NearestRank.Index(sorted.Length, p)];
}
