using System.Runtime.InteropServices;

namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// The load report (written as <c>load-report.json</c> and rendered as <c>load-report.html</c>): what the run was,
/// its verdict, every latency's distribution, frames, the CPU split between server, emulator and generator, the time
/// series, and every call.
/// </summary>
public sealed record LoadReport
{
    public string Tool { get; init; } = "CallReplay load";

    public required string Target { get; init; }

    public string? CommandLine { get; init; }

    /// <summary>A sentence: "50 concurrent calls, 2.5 s ramp, held 60 s".</summary>
    public required string Load { get; init; }

    public required LoadSettings Settings { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>Whether the run was cancelled (Ctrl+C) before it finished: the figures cover the part that ran.</summary>
    public bool Interrupted { get; init; }

    public required MachineInfo Machine { get; init; }

    public required IReadOnlyList<string> Recordings { get; init; }

    public required Verdict Verdict { get; init; }

    public required CallCounts Calls { get; init; }

    public required LatencySection Latency { get; init; }

    public required UnderrunSection Underruns { get; init; }

    public required FrameSection Frames { get; init; }

    public required GeneratorSection Generator { get; init; }

    public required ProcessSection Server { get; init; }

    public required ProcessSection Emulator { get; init; }

    /// <summary>The server's <c>/metrics</c> over the run (<see cref="ServerMetricsSummary.Available"/> false: "not available").</summary>
    public required ServerMetricsSummary ServerMetrics { get; init; }

    public IReadOnlyList<TimeSample> TimeSeries { get; init; } = [];

    public IReadOnlyList<ServerMetricsPoint> ServerMetricsSeries { get; init; } = [];

    /// <summary>Response latency over time: p50/p95 of the responses heard in each window.</summary>
    public IReadOnlyList<LatencyWindow> ResponseSeries { get; init; } = [];

    /// <summary>SVG files written next to the report (relative paths).</summary>
    public IReadOnlyList<string> Charts { get; set; } = [];

    /// <summary>The slowest calls, slowest first (indexes into <see cref="PerCall"/>).</summary>
    public IReadOnlyList<int> SlowestCalls { get; init; } = [];

    public required IReadOnlyList<LoadCallRecord> PerCall { get; set; }

    /// <summary>Builds the report of <paramref name="run"/> against <paramref name="target"/>.</summary>
    public static LoadReport Build(LoadRun run, string target, string? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var calls = run.Calls;
        var o = run.Options;
        var metrics = run.ServerMetrics ?? new ServerMetricsSummary { Available = false, Url = "", Error = "no --metrics-url" };
        var callSeconds = calls.Sum(c => c.DurationMs) / 1000;
        var runSeconds = run.Duration.TotalSeconds;

        var underruns = calls.SelectMany(c => c.UnderrunMs).ToList();
        var latency = new LatencySection
        {
            SetupMs = LatencyStats.Of(calls.Where(c => c.SetupMs is not null).Select(c => c.SetupMs!.Value)),
            ResponseMs = LatencyStats.Of(calls.SelectMany(c => c.Responses).Select(r => r.Ms)),
            BargeInMs = LatencyStats.Of(calls.SelectMany(c => c.BargeInMs)),
            UnderrunMs = LatencyStats.Of(underruns),
        };

        var lostToCaller = calls.Where(c => c.FramesLostToCaller is not null).Sum(c => c.FramesLostToCaller!.Value);
        var measuredToCaller = calls.Any(c => c.FramesLostToCaller is not null);
        var serverDrops = metrics.FramesDropped.Where(d => !IsIntentionalDrop(d.Key)).ToDictionary(d => d.Key, d => d.Value);
        var framesSent = calls.Sum(c => c.FramesSent);
        double? serverReceived = metrics.Frames.TryGetValue("in", out var fin) ? fin : null;
        var frames = new FrameSection
        {
            CallerToServerSent = framesSent,
            CallerToServerCountedByServer = serverReceived,
            CallerToServerDroppedByServer = serverDrops.Where(d => d.Key.Contains("/in/", StringComparison.Ordinal) || d.Key.Contains("caller_to_model", StringComparison.Ordinal)).Sum(d => d.Value),
            ServerToCallerReceived = calls.Sum(c => c.FramesReceived),
            ServerToCallerLost = measuredToCaller ? lostToCaller : null,
            ServerToCallerOverflowed = calls.Sum(c => c.FramesOverflowed),
            ServerToCallerDroppedByServer = serverDrops.Where(d => d.Key.Contains("/out/", StringComparison.Ordinal) || d.Key.Contains("model_to_caller", StringComparison.Ordinal)).Sum(d => d.Value),
            ServerDrops = serverDrops,
        };

        var limit = o.MaxGeneratorLateness.TotalMilliseconds;
        var lateness = run.Lateness.ToStats();
        var generator = new GeneratorSection
        {
            LatenessMs = lateness,
            LatenessLimitMs = limit,
            Invalid = lateness.Count > 0 && lateness.P99 > limit,
            Levels = [.. run.LatenessByLevel.Select(l => new LatenessLevel(l.InFlight, l.Lateness.Count, l.Lateness.Percentile(0.99), l.Lateness.MaxMilliseconds, l.Lateness.Percentile(0.99) > limit))],
            CpuSeconds = run.Generator.CpuSeconds,
            CpuCores = runSeconds > 0 ? run.Generator.CpuSeconds / runSeconds : null,
            CpuMsPerCallSecond = callSeconds > 0 ? run.Generator.CpuSeconds * 1000 / callSeconds : null,
            RssMb = run.Generator.RssMb,
        };

        var serverCpu = run.Server?.CpuSeconds ?? metrics.CpuSeconds;
        var managedPerCall = metrics.ManagedHeapMb is { } heap && metrics.ManagedHeapBaselineMb is { } baseHeap && run.MaxInFlight > 0
            ? Math.Max(0, heap - baseHeap) * 1024 / run.MaxInFlight
            : (double?)null;
        var server = new ProcessSection
        {
            Pid = o.ServerPid,
            CpuSource = run.Server is not null ? "/proc" : metrics.CpuSeconds is not null ? $"/metrics ({metrics.CpuMetric})" : null,
            CpuSeconds = serverCpu,
            CpuCores = serverCpu is { } sc && runSeconds > 0 ? sc / runSeconds : null,
            CpuMsPerCallSecond = serverCpu is { } sc2 && callSeconds > 0 ? sc2 * 1000 / callSeconds : null,
            RssMbMax = MaxOf(run.Samples.Select(s => s.ServerRssMb)) ?? metrics.WorkingSetMb,
            ManagedHeapMbMax = metrics.ManagedHeapMb,
            ManagedKbPerCall = managedPerCall,
        };
        var emulator = new ProcessSection
        {
            Pid = o.EmulatorPid,
            CpuSource = run.Emulator is not null ? "/proc" : null,
            CpuSeconds = run.Emulator?.CpuSeconds,
            CpuCores = run.Emulator is { } e && runSeconds > 0 ? e.CpuSeconds / runSeconds : null,
            CpuMsPerCallSecond = run.Emulator is { } e2 && callSeconds > 0 ? e2.CpuSeconds * 1000 / callSeconds : null,
            RssMbMax = MaxOf(run.Samples.Select(s => s.EmulatorRssMb)),
        };

        var counts = new CallCounts
        {
            Started = calls.Count,
            Completed = calls.Count(c => c.Status == LoadCallStatus.Ok),
            Failed = calls.Count(c => c.Failed),
            Canceled = calls.Count(c => c.Status == LoadCallStatus.Canceled),
            Cut = calls.Count(c => c.Status == LoadCallStatus.Cut),
            MaxInFlight = run.MaxInFlight,
            CallSeconds = callSeconds,
            FailureReasons = calls.Where(c => c.Failed).GroupBy(c => c.FailureReason ?? "unknown").OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            Utterances = calls.Sum(c => c.Utterances),
            UnansweredUtterances = calls.Sum(c => c.Unanswered),
            BargeIns = calls.Sum(c => c.BargeInMs.Count + c.BargeInsIgnored),
            BargeInsIgnored = calls.Sum(c => c.BargeInsIgnored),
            CallsWithWarnings = calls.Count(c => c.Warnings.Count > 0),
        };
        var underrunSection = new UnderrunSection
        {
            Count = underruns.Count,
            Over20Ms = underruns.Count(u => u > LoadCallRecord.UnderrunLimitMs),
            Over20MsDuringGeneratorStalls = calls.Sum(c => c.LongUnderruns.Count(u => u.DuringGeneratorStall)),
            MaxMs = underruns.Count == 0 ? 0 : underruns.Max(),
            CallsWithUnderruns = calls.Count(c => c.UnderrunMs.Count > 0),
        };

        var verdict = Judge(counts, underrunSection, frames, generator, metrics, latency);
        return new LoadReport
        {
            Target = target,
            CommandLine = commandLine,
            Load = o.Describe(),
            Settings = new LoadSettings
            {
                Calls = o.Calls,
                RampSeconds = o.Rate is null ? o.EffectiveRamp.TotalSeconds : null,
                HoldSeconds = o.Hold?.TotalSeconds,
                Total = o.Total,
                Rate = o.Rate,
                DrainSeconds = o.Drain.TotalSeconds,
                MetricsUrl = o.MetricsUrl?.ToString(),
                ServerPid = o.ServerPid,
                EmulatorPid = o.EmulatorPid,
            },
            StartedAt = run.StartedAt,
            EndedAt = run.EndedAt,
            DurationSeconds = runSeconds,
            Interrupted = run.Interrupted,
            Machine = MachineInfo.Current(),
            Recordings = run.Recordings,
            Verdict = verdict,
            Calls = counts,
            Latency = latency,
            Underruns = underrunSection,
            Frames = frames,
            Generator = generator,
            Server = server,
            Emulator = emulator,
            ServerMetrics = metrics,
            TimeSeries = run.Samples,
            ServerMetricsSeries = run.ServerMetricsPoints,
            ResponseSeries = Windows(calls, run.Samples),
            SlowestCalls = run.SlowestIndexes,
            PerCall = calls,
        };
    }

    /// <summary>
    /// The verdict. INVALID when the generator's send lateness p99 exceeds its limit (the generator, not the server, was
    /// the limit: nothing is concluded about the server). Otherwise FAIL when any check fails: a failed call, a lost
    /// frame, an underrun over 20 ms, a bridge step's p99 at 1 ms or more, <c>interrupted_to_clear</c> p99 at 2 ms or more.
    /// Underruns that came while the generator itself was stalled as long are not held against the server: when they are
    /// all that is wrong, the level is INVALID too (never PASS).
    /// Checks whose data is missing (no <c>/metrics</c>) are listed as not available and do not fail the run.
    /// </summary>
    public static Verdict Judge(CallCounts calls, UnderrunSection underruns, FrameSection frames, GeneratorSection generator, ServerMetricsSummary metrics, LatencySection latency)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(underruns);
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(latency);
        var checks = new List<Check>
        {
            new("generator lateness p99", generator.LatenessMs.Count == 0 ? null : !generator.Invalid, Fmt(generator.LatenessMs.P99, "ms"), $"≤ {generator.LatenessLimitMs:0.###} ms"),
            new("calls completed", calls.Completed > 0, $"{calls.Completed}", "> 0"),
            new("failed calls", calls.Failed == 0, $"{calls.Failed}", "0"),
            new("agent frames lost (marks)", frames.ServerToCallerLost is { } lost ? lost == 0 && frames.ServerToCallerOverflowed == 0 : null, frames.ServerToCallerLost?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not measured", "0"),
            new("caller frames counted by the server", frames.CallerToServerCountedByServer is { } counted ? counted >= frames.CallerToServerSent : null,
                frames.CallerToServerCountedByServer is { } n ? $"{n:0} of {frames.CallerToServerSent} sent" : "not available", "all"),
            new("frames dropped by the server", metrics.Available ? frames.ServerDrops.Values.Sum() == 0 : null, metrics.Available ? $"{frames.ServerDrops.Values.Sum():0}" : "not available", "0"),
            new("underruns over 20 ms", underruns.Over20MsHeldAgainstServer == 0, $"{underruns.Over20MsHeldAgainstServer} (longest {underruns.MaxMs:0} ms){(underruns.Over20MsDuringGeneratorStalls > 0 ? $"; {underruns.Over20MsDuringGeneratorStalls} more while the generator stalled" : "")}", "0"),
        };
        foreach (var step in new[] { "caller_frame_to_model", "model_chunk_to_twilio" })
        {
            var stats = metrics.Steps.TryGetValue(step, out var s) && s.Count > 0 ? s : null;
            checks.Add(new($"{step} p99", stats is null ? null : stats.AtOrBelow1Ms >= 0.99, stats is null ? (metrics.Available ? "no observations" : "not available") : $"{stats.P99:0.###} ms ({stats.AtOrBelow1Ms:P2} ≤ 1 ms)", "< 1 ms"));
        }

        var clear = metrics.Steps.TryGetValue("interrupted_to_clear", out var c) && c.Count > 0 ? c : null;
        checks.Add(new("interrupted_to_clear p99", clear is null ? null : clear.AtOrBelow2Ms >= 0.99, clear is null ? (metrics.Available ? "no observations" : "not available") : $"{clear.P99:0.###} ms ({clear.AtOrBelow2Ms:P2} ≤ 2 ms)", "< 2 ms"));

        string status;
        var reasons = new List<string>();
        if (generator.Invalid)
        {
            status = VerdictStatus.Invalid;
            reasons.Add($"generator-limited: send lateness p99 {generator.LatenessMs.P99:0.##} ms > {generator.LatenessLimitMs:0.##} ms; this level says nothing about the server");
        }
        else
        {
            var failing = checks.Where(k => k.Ok == false).ToList();
            status = failing.Count > 0 ? VerdictStatus.Fail : underruns.Over20MsDuringGeneratorStalls > 0 ? VerdictStatus.Invalid : VerdictStatus.Pass;
            reasons.AddRange(failing.Select(k => $"{k.Name}: {k.Value} (limit {k.Limit})"));
            if (status == VerdictStatus.Invalid)
            {
                reasons.Add($"generator-limited: {underruns.Over20MsDuringGeneratorStalls} underrun(s) over 20 ms came while the generator itself was stalled at least as long; the generator cannot tell them from the server's");
            }
        }

        return new Verdict(status, reasons, checks);
    }

    private static bool IsIntentionalDrop(string key) =>
        key.EndsWith("/interrupted", StringComparison.Ordinal) || key.EndsWith("/call-ended", StringComparison.Ordinal) || key.EndsWith("/cleared", StringComparison.Ordinal);

    private static string Fmt(double value, string unit) => double.IsNaN(value) ? "n/a" : $"{value:0.###} {unit}";

    private static double? MaxOf(IEnumerable<double?> values)
    {
        double? max = null;
        foreach (var v in values)
        {
            if (v is { } x && (max is null || x > max))
            {
                max = x;
            }
        }

        return max;
    }

    /// <summary>Response latency by time window (10 windows at least 5 s wide over the run, or the sample grid).</summary>
    private static List<LatencyWindow> Windows(IReadOnlyList<LoadCallRecord> calls, IReadOnlyList<TimeSample> samples)
    {
        var responses = calls.SelectMany(c => c.Responses).OrderBy(r => r.AtMs).ToList();
        if (responses.Count == 0)
        {
            return [];
        }

        var end = Math.Max(responses[^1].AtMs, samples.Count == 0 ? 0 : samples[^1].AtMs);
        var width = Math.Max(5000, end / 60);
        var windows = new List<LatencyWindow>();
        for (var from = 0.0; from <= end; from += width)
        {
            var inWindow = responses.Where(r => r.AtMs >= from && r.AtMs < from + width).Select(r => r.Ms).ToList();
            var inFlight = samples.Where(s => s.AtMs >= from && s.AtMs < from + width).Select(s => (double)s.InFlight).DefaultIfEmpty(0).Average();
            if (inWindow.Count > 0)
            {
                var stats = LatencyStats.Of(inWindow);
                windows.Add(new LatencyWindow(from + (width / 2), stats.Count, stats.P50, stats.P95, stats.Max, inFlight));
            }
        }

        return windows;
    }
}

/// <summary>The load settings as given.</summary>
public sealed record LoadSettings
{
    public int Calls { get; init; }

    public double? RampSeconds { get; init; }

    public double? HoldSeconds { get; init; }

    public int? Total { get; init; }

    public double? Rate { get; init; }

    public double DrainSeconds { get; init; }

    public string? MetricsUrl { get; init; }

    public int? ServerPid { get; init; }

    public int? EmulatorPid { get; init; }
}

/// <summary>Where the run ran.</summary>
public sealed record MachineInfo(int Cores, string Os, string? Cpu, string Runtime, string Host)
{
    public static MachineInfo Current()
    {
        string? cpu = null;
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            }
        }
        catch (IOException)
        {
            // unknown
        }

        return new MachineInfo(Environment.ProcessorCount, RuntimeInformation.OSDescription, cpu, RuntimeInformation.FrameworkDescription, Environment.MachineName);
    }
}

/// <summary>PASS, FAIL or INVALID, why, and every check.</summary>
public sealed record Verdict(string Status, IReadOnlyList<string> Reasons, IReadOnlyList<Check> Checks);

/// <summary>One pass criterion: <see cref="Ok"/> null when its data is not available.</summary>
public sealed record Check(string Name, bool? Ok, string Value, string Limit);

/// <summary>The values of <see cref="Verdict.Status"/>.</summary>
public static class VerdictStatus
{
    public const string Pass = "PASS";
    public const string Fail = "FAIL";

    /// <summary>The generator was the limit (send lateness p99 over its limit): never a server failure.</summary>
    public const string Invalid = "INVALID";
}

public sealed record CallCounts
{
    public int Started { get; init; }

    public int Completed { get; init; }

    public int Failed { get; init; }

    public int Canceled { get; init; }

    public int Cut { get; init; }

    public int MaxInFlight { get; init; }

    /// <summary>The calls' durations added up.</summary>
    public double CallSeconds { get; init; }

    public IReadOnlyDictionary<string, int> FailureReasons { get; init; } = new Dictionary<string, int>();

    public int Utterances { get; init; }

    public int UnansweredUtterances { get; init; }

    public int BargeIns { get; init; }

    public int BargeInsIgnored { get; init; }

    public int CallsWithWarnings { get; init; }
}

public sealed record LatencySection
{
    /// <summary>Voice webhook → first agent audio heard.</summary>
    public required LatencyStats SetupMs { get; init; }

    /// <summary>End of the caller's speech (in the recording) → first agent audio heard.</summary>
    public required LatencyStats ResponseMs { get; init; }

    /// <summary>Caller speech over the agent → agent audio stopped at the caller.</summary>
    public required LatencyStats BargeInMs { get; init; }

    /// <summary>Gaps in the agent's audio while it speaks.</summary>
    public required LatencyStats UnderrunMs { get; init; }
}

public sealed record UnderrunSection
{
    public int Count { get; init; }

    public int Over20Ms { get; init; }

    /// <summary>Of <see cref="Over20Ms"/>, those that came while the generator itself was stalled as long (see <see cref="LongUnderrun"/>).</summary>
    public int Over20MsDuringGeneratorStalls { get; init; }

    /// <summary>Of <see cref="Over20Ms"/>, those the server is held to.</summary>
    public int Over20MsHeldAgainstServer => Over20Ms - Over20MsDuringGeneratorStalls;

    public double MaxMs { get; init; }

    public int CallsWithUnderruns { get; init; }
}

public sealed record FrameSection
{
    public long CallerToServerSent { get; init; }

    /// <summary>Caller frames the server counted (its <c>frames{direction="in"}</c> over the run), when it serves metrics.</summary>
    public double? CallerToServerCountedByServer { get; init; }

    public double CallerToServerDroppedByServer { get; init; }

    public long ServerToCallerReceived { get; init; }

    /// <summary>Frames the server's marks announced that never arrived (null: the marks do not say).</summary>
    public long? ServerToCallerLost { get; init; }

    public long ServerToCallerOverflowed { get; init; }

    public double ServerToCallerDroppedByServer { get; init; }

    /// <summary>Unintended drops the server counted (not interruptions, clears or the end of a call), as <c>layer/direction/reason</c>.</summary>
    public IReadOnlyDictionary<string, double> ServerDrops { get; init; } = new Dictionary<string, double>();
}

public sealed record GeneratorSection
{
    /// <summary>How late caller frames went out against the absolute 20 ms clock, over every frame of the run.</summary>
    public required LatencyStats LatenessMs { get; init; }

    public double LatenessLimitMs { get; init; }

    /// <summary>Lateness p99 over the limit: the run is INVALID.</summary>
    public bool Invalid { get; init; }

    public IReadOnlyList<LatenessLevel> Levels { get; init; } = [];

    public double CpuSeconds { get; init; }

    public double? CpuCores { get; init; }

    public double? CpuMsPerCallSecond { get; init; }

    public double RssMb { get; init; }
}

/// <summary>The generator's lateness while about <paramref name="InFlight"/> calls were in flight.</summary>
public sealed record LatenessLevel(int InFlight, long Frames, double P99Ms, double MaxMs, bool Invalid);

public sealed record ProcessSection
{
    public int? Pid { get; init; }

    /// <summary>Where the CPU figure came from (/proc, /metrics), or null when unknown.</summary>
    public string? CpuSource { get; init; }

    public double? CpuSeconds { get; init; }

    /// <summary>Average over the run, in cores.</summary>
    public double? CpuCores { get; init; }

    /// <summary>CPU milliseconds per second of call (all calls' durations added up).</summary>
    public double? CpuMsPerCallSecond { get; init; }

    public double? RssMbMax { get; init; }

    public double? ManagedHeapMbMax { get; init; }

    /// <summary>(Managed heap at its largest − before the run) / most calls in flight.</summary>
    public double? ManagedKbPerCall { get; init; }
}

/// <summary>Response latency of the responses heard in one window of the run.</summary>
public sealed record LatencyWindow(double AtMs, int Count, double P50Ms, double P95Ms, double MaxMs, double InFlight);
