using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Playback;

namespace PhoneAgent.CallReplay.Load;

/// <summary>What the load report keeps of one call (the <see cref="CallResult"/> itself is let go).</summary>
public sealed record LoadCallRecord
{
    /// <summary>0-based, in start order.</summary>
    public required int Index { get; init; }

    public required string CallSid { get; init; }

    public required string Recording { get; init; }

    /// <summary>When the voice webhook was sent, since the run started.</summary>
    public required double StartMs { get; init; }

    public required double DurationMs { get; init; }

    /// <summary><see cref="CallEndReason"/> as text.</summary>
    public required string EndReason { get; init; }

    /// <summary><see cref="LoadCallStatus"/>: ok, failed, canceled (Ctrl+C), cut (still running when the drain ended).</summary>
    public required string Status { get; init; }

    /// <summary>Why the call failed.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Voice webhook → first agent audio heard.</summary>
    public double? SetupMs { get; init; }

    /// <summary>Per answered utterance: end of the caller's speech → first agent audio heard (with when, since the run started).</summary>
    public IReadOnlyList<TimedValue> Responses { get; init; } = [];

    /// <summary>Utterances the recording has (that started before the call ended).</summary>
    public int Utterances { get; init; }

    /// <summary>Utterances no agent audio answered before the next one (or the end of the call).</summary>
    public int Unanswered { get; init; }

    /// <summary>Caller speech over the agent → agent audio stopped at the caller, for barge-ins the agent gave way to.</summary>
    public IReadOnlyList<double> BargeInMs { get; init; } = [];

    /// <summary>Barge-ins the agent talked through (no <c>clear</c>).</summary>
    public int BargeInsIgnored { get; init; }

    /// <summary>Gaps inside agent turns (the caller's buffer ran dry while the agent was speaking).</summary>
    public IReadOnlyList<double> UnderrunMs { get; init; } = [];

    /// <summary>Underruns over <see cref="UnderrunLimitMs"/>: when, how long, and how stalled the generator was then.</summary>
    public IReadOnlyList<LongUnderrun> LongUnderruns { get; init; } = [];

    /// <summary>Caller frames sent.</summary>
    public long FramesSent { get; init; }

    /// <summary>Agent audio received, in 20 ms frames.</summary>
    public long FramesReceived { get; init; }

    /// <summary>
    /// Agent frames the server announced in its marks (PhoneAgent's <c>t{turn}.f{frames}</c>: frames of the turn sent
    /// before the mark) but the caller never received; <see langword="null"/> when the marks do not say (another server).
    /// </summary>
    public long? FramesLostToCaller { get; init; }

    /// <summary>Agent audio thrown away because Twilio's outbound buffer was full (only with a buffer cap).</summary>
    public long FramesOverflowed { get; init; }

    /// <summary>The generator's send lateness for this call (p99 and max).</summary>
    public double LatenessP99Ms { get; init; }

    public double LatenessMaxMs { get; init; }

    /// <summary>Twilio errors and warnings the server caused (invalid messages, webhook failures).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The slowest moment of the call (largest response or set-up time): how the slowest calls are picked.</summary>
    public double WorstMs { get; init; }

    /// <summary>The call's timeline file, relative to the report folder, when it was written.</summary>
    public string? Timeline { get; init; }

    public bool Failed => Status == LoadCallStatus.Failed;

    /// <summary>Failed, or broke a capacity pass rule: an underrun over <see cref="UnderrunLimitMs"/>, a lost frame.</summary>
    public bool Flagged => Failed || UnderrunMs.Any(u => u > UnderrunLimitMs) || FramesLostToCaller > 0;

    /// <summary>Underruns longer than one 20 ms frame break the capacity rule (0.5 ms of slack for clock rounding).</summary>
    public const double UnderrunLimitMs = 20.5;

    /// <summary>The record of a call that threw instead of returning a result.</summary>
    public static LoadCallRecord FromException(int index, string recording, double startMs, double durationMs, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new LoadCallRecord
        {
            Index = index,
            CallSid = "",
            Recording = recording,
            StartMs = startMs,
            DurationMs = durationMs,
            EndReason = "Exception",
            Status = LoadCallStatus.Failed,
            FailureReason = $"{error.GetType().Name}: {error.Message}",
        };
    }

    /// <summary>Extracts the record of one call.</summary>
    /// <param name="index">The call's number in the run.</param>
    /// <param name="recording">The recording's name.</param>
    /// <param name="result">What the call produced.</param>
    /// <param name="startMs">When its webhook was sent, since the run started.</param>
    /// <param name="cut">Whether the run cancelled it at the end of the drain (rather than Ctrl+C).</param>
    /// <param name="lateness">The run's send lateness by time, to tell gaps the generator may have caused itself.</param>
    public static LoadCallRecord From(int index, string recording, CallResult result, double startMs, bool cut, SendLatenessTimeline? lateness = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var m = result.Measurements;
        var (status, reason) = Classify(result, cut);
        var responses = m.Responses
            .Where(r => r.Latency is not null)
            .Select(r => new TimedValue(startMs + r.FirstAudio!.Value.TotalMilliseconds, r.Latency!.Value.TotalMilliseconds))
            .ToList();
        var started = m.Responses.Where(r => r.SpeechEnd <= result.Duration).ToList();
        var setup = m.SetupTime?.TotalMilliseconds;
        var worst = Math.Max(setup ?? 0, responses.Count == 0 ? 0 : responses.Max(r => r.Ms));
        return new LoadCallRecord
        {
            Index = index,
            CallSid = result.CallSid,
            Recording = recording,
            StartMs = startMs,
            DurationMs = result.Duration.TotalMilliseconds,
            EndReason = result.EndReason.ToString(),
            Status = status,
            FailureReason = reason,
            SetupMs = setup,
            Responses = responses,
            Utterances = started.Count,
            Unanswered = started.Count(r => r.Latency is null),
            BargeInMs = [.. m.BargeIns.Where(b => b.Stopped).Select(b => b.Latency.TotalMilliseconds)],
            BargeInsIgnored = m.BargeIns.Count(b => !b.Stopped),
            UnderrunMs = [.. m.Underruns.Select(u => u.Length.TotalMilliseconds)],
            LongUnderruns = [.. m.Underruns.Where(u => u.Length.TotalMilliseconds > UnderrunLimitMs).Select(u => LongUnderrun.Of(startMs + u.At.TotalMilliseconds, u.Length.TotalMilliseconds, lateness))],
            FramesSent = m.MediaFramesSent,
            FramesReceived = Frames(result.Chunks.Where(c => c.Fate != ChunkFate.Overflowed)),
            FramesLostToCaller = FramesLost(result),
            FramesOverflowed = Frames(result.Chunks.Where(c => c.Fate == ChunkFate.Overflowed)),
            LatenessP99Ms = m.SendLateness.P99.TotalMilliseconds,
            LatenessMaxMs = m.SendLateness.Max.TotalMilliseconds,
            Warnings = [.. result.Warnings.Select(w => $"{w.Code}: {w.Message}")],
            WorstMs = worst,
        };
    }

    /// <summary>Whether the call failed, and why.</summary>
    internal static (string Status, string? Reason) Classify(CallResult result, bool cut)
    {
        ArgumentNullException.ThrowIfNull(result);
        var failedStream = result.Streams.FirstOrDefault(s => s.EndedBy is StreamEndedBy.HandshakeRejected or StreamEndedBy.ConnectFailed or StreamEndedBy.SocketError);
        string? reason = result.EndReason switch
        {
            CallEndReason.ApplicationError => $"application error: {result.Error ?? (result.Warnings.Count > 0 ? result.Warnings[0].Message : "the webhook failed")}",
            CallEndReason.Rejected => "the call was rejected (<Reject/>)",
            CallEndReason.MaxDuration => "still running at the maximum call duration",
            _ when failedStream is not null => failedStream.EndedBy switch
            {
                StreamEndedBy.SocketError => "the media connection broke (31903)",
                StreamEndedBy.HandshakeRejected => $"the media upgrade was refused (HTTP {failedStream.HandshakeStatus})",
                _ => $"the media stream could not connect: {result.Warnings.FirstOrDefault(w => w.Code is 31901 or 31902 or 31922 or 31941)?.Message ?? failedStream.EndedBy.ToString()}",
            },
            not CallEndReason.Canceled when result.Streams.Count == 0 => $"no media stream (TwiML: {(result.Verbs.Count == 0 ? "empty" : string.Join(", ", result.Verbs.Take(4)))})",
            _ => null,
        };
        if (reason is not null)
        {
            return (LoadCallStatus.Failed, reason);
        }

        if (result.EndReason == CallEndReason.Canceled)
        {
            return (cut ? LoadCallStatus.Cut : LoadCallStatus.Canceled, null);
        }

        return result.Measurements.SetupTime is null ? (LoadCallStatus.Failed, "no agent audio heard") : (LoadCallStatus.Ok, null);
    }

    /// <summary>Frames PhoneAgent's marks announce minus frames received, per turn; null when no mark says.</summary>
    internal static long? FramesLost(CallResult result)
    {
        var announced = new Dictionary<int, long>();
        foreach (var name in result.Streams.SelectMany(s => s.MarkNames))
        {
            if (!TryParsePhoneAgentMark(name, out var turn, out var frames))
            {
                continue;
            }

            announced[turn] = Math.Max(announced.GetValueOrDefault(turn), frames);
        }

        if (announced.Count == 0)
        {
            return null;
        }

        var received = result.Chunks.Where(c => c.MarkTurn is not null && c.Fate != ChunkFate.Overflowed)
            .GroupBy(c => c.MarkTurn!.Value)
            .ToDictionary(g => g.Key, g => Frames(g));
        return announced.Sum(a => Math.Max(0, a.Value - received.GetValueOrDefault(a.Key)));
    }

    /// <summary>Whole 20 ms frames (160 μ-law bytes) in <paramref name="chunks"/>.</summary>
    private static long Frames(IEnumerable<PlayedChunk> chunks) => chunks.Sum(c => (long)c.Bytes) / 160;

    /// <summary>PhoneAgent's mark <c>t{turn}.f{frames}[.end]</c>.</summary>
    internal static bool TryParsePhoneAgentMark(string name, out int turn, out long frames)
    {
        turn = 0;
        frames = 0;
        var parts = name.Split('.');
        return parts.Length is 2 or 3 && parts[0].StartsWith('t') && parts[1].StartsWith('f')
            && int.TryParse(parts[0].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out turn)
            && long.TryParse(parts[1].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out frames)
            && (parts.Length == 2 || parts[2] == "end");
    }
}

/// <summary>An underrun over the capacity limit.</summary>
/// <param name="AtMs">When the audio resumed, since the run started.</param>
/// <param name="Ms">How long the caller heard nothing.</param>
/// <param name="GeneratorLateMs">
/// The generator's largest send lateness for frames due from the start of the gap (less a frame) to its end. At least
/// <paramref name="Ms"/>: the generator itself stalled for as long as the gap, so it may have read audio that came in time
/// late (a stall of S ms turns into a heard gap of S ms less the audio buffered), and the gap says nothing about the server.
/// </param>
public sealed record LongUnderrun(double AtMs, double Ms, double GeneratorLateMs)
{
    private const double FrameMs = 20; // a caller frame due just before the gap began was caught by the same stall

    public bool DuringGeneratorStall => GeneratorLateMs >= Ms;

    internal static LongUnderrun Of(double atMs, double ms, SendLatenessTimeline? lateness) =>
        new(atMs, ms, lateness?.MaxMs(atMs - ms - FrameMs, atMs) ?? 0);
}

/// <summary>A value in milliseconds observed at <paramref name="AtMs"/> (since the run started).</summary>
public readonly record struct TimedValue(double AtMs, double Ms);

/// <summary>The values of <see cref="LoadCallRecord.Status"/>.</summary>
public static class LoadCallStatus
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Cut = "cut";
}
