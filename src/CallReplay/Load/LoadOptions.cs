using PhoneAgent.CallReplay.Calls;

namespace PhoneAgent.CallReplay.Load;

/// <summary>How <see cref="LoadRunner"/> loads a server.</summary>
/// <remarks>
/// Two ways to generate calls:
/// <list type="bullet">
/// <item><b>Concurrency</b> (<see cref="Rate"/> null): <see cref="Calls"/> call slots start one after another over
/// <see cref="Ramp"/>; each slot places a call and, when it ends, the next, so <see cref="Calls"/> calls are in flight.
/// New calls start until <see cref="Hold"/> has passed since the ramp ended, or until <see cref="Total"/> calls have
/// started; with neither, each slot places one call.</item>
/// <item><b>Rate</b>: a call starts every 1 / <see cref="Rate"/> seconds on an absolute schedule, until
/// <see cref="Hold"/> or <see cref="Total"/>; <see cref="Calls"/>, when set, caps the calls in flight (a start waits
/// for a free slot).</item>
/// </list>
/// Calls in flight when starting stops run to their end (at most <see cref="Drain"/> more); then they are cut.
/// </remarks>
public sealed record LoadOptions
{
    /// <summary>The caller options every call uses (webhook URL, credentials, behaviour). <see cref="FakeTwilioCallerOptions.OnEvent"/>
    /// and <see cref="FakeTwilioCallerOptions.OnSendLateness"/> are chained with the runner's own.</summary>
    public required FakeTwilioCallerOptions Caller { get; init; }

    /// <summary>Concurrent calls (concurrency mode), or the cap on calls in flight (rate mode, 0 = none).</summary>
    public int Calls { get; init; } = 1;

    /// <summary>Over how long the <see cref="Calls"/> slots start. The default value is <see langword="null"/>:
    /// 50 ms per call, at least 1 s (at most 30 s).</summary>
    public TimeSpan? Ramp { get; init; }

    /// <summary>How long to keep starting calls after the ramp (concurrency) or from the start (rate).</summary>
    public TimeSpan? Hold { get; init; }

    /// <summary>How many calls to start in all.</summary>
    public int? Total { get; init; }

    /// <summary>Calls started per second (rate mode).</summary>
    public double? Rate { get; init; }

    /// <summary>How long calls still in flight after the last start may run before they are cut. The default value is 90 seconds.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How often the time series is sampled (calls in flight, CPU, memory, lateness). The default value is 1 second.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The server's Prometheus endpoint, or <see langword="null"/> for none.</summary>
    public Uri? MetricsUrl { get; init; }

    /// <summary>How often <see cref="MetricsUrl"/> is scraped. The default value is 5 seconds.</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The server's process (with its children), for its CPU and memory from /proc.</summary>
    public int? ServerPid { get; init; }

    /// <summary>The Gemini Live emulator's process (with its children), for its CPU and memory from /proc.</summary>
    public int? EmulatorPid { get; init; }

    /// <summary>How many of the slowest calls keep their timeline (written as JSONL next to the report). The default value is 10.</summary>
    public int SlowestTimelines { get; init; } = 10;

    /// <summary>How many calls that failed or broke a pass rule (an underrun over 20 ms, a lost frame) keep their timeline. The default value is 10.</summary>
    public int FlaggedTimelines { get; init; } = 10;

    /// <summary>
    /// Whether each call comes from its own number (<c>+1555NNNNNNN</c>, the call's index) rather than
    /// <see cref="FakeTwilioCallerOptions.From"/>: a server limits calls per caller (PhoneAgent's
    /// <c>limits.maxCallsPerCallerPerHour</c>). The default value is <see langword="true"/>.
    /// </summary>
    public bool DistinctCallers { get; init; } = true;

    /// <summary>
    /// Whether short calls (the first 3 s of the first recording, <see cref="WarmUpCalls"/> at once) are placed and
    /// thrown away before the run starts, so neither the generator's nor the server's first calls pay for JIT compilation
    /// and first connections (a cold server compiling its frame path while the ramp fills it left a 160 ms gap in one call
    /// of a 100-call run). The default value is <see langword="true"/>.
    /// </summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>How many warm-up calls run at once: enough for the frame path to be called thousands of times (and so
    /// compiled fully), a tenth of <see cref="Calls"/> between 1 and 20.</summary>
    public int WarmUpCalls => Math.Clamp(Calls / 10, 1, 20);

    /// <summary>Generator lateness p99 above this makes a run (or a load level) invalid. The default value is 5 ms.</summary>
    public TimeSpan MaxGeneratorLateness { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The effective ramp: <see cref="Ramp"/> or the default for <see cref="Calls"/>.</summary>
    public TimeSpan EffectiveRamp => Ramp ?? TimeSpan.FromMilliseconds(Math.Clamp(Calls * 50, 1000, 30_000));

    /// <summary>Why these options cannot run, or <see langword="null"/>.</summary>
    public string? Validate()
    {
        if (Rate is { } r && (r <= 0 || !double.IsFinite(r)))
        {
            return "--rate must be a positive number of calls per second.";
        }

        if (Rate is null && Calls < 1)
        {
            return "--calls must be at least 1.";
        }

        if (Calls < 0)
        {
            return "--calls cannot be negative.";
        }

        if (Total is < 1)
        {
            return "--total must be at least 1.";
        }

        if (Rate is not null && Hold is null && Total is null)
        {
            return "--rate needs --duration or --total (how long to keep starting calls).";
        }

        if (Hold is { } h && h <= TimeSpan.Zero)
        {
            return "--duration must be positive.";
        }

        return SampleInterval <= TimeSpan.Zero ? "the sample interval must be positive." : null;
    }

    /// <summary>A sentence for people: "50 concurrent calls, 10 s ramp, held 60 s".</summary>
    public string Describe()
    {
        var until = (Hold, Total) switch
        {
            ({ } h, { } t) => $"for {Format(h)} or {t} calls",
            ({ } h, null) => $"held {Format(h)}",
            (null, { } t) => $"{t} calls in all",
            _ => "one call per slot",
        };
        return Rate is { } rate
            ? $"{rate:0.###} calls/s{(Calls > 0 ? $" (at most {Calls} in flight)" : "")}, {until}"
            : $"{Calls} concurrent call{(Calls == 1 ? "" : "s")}, {Format(EffectiveRamp)} ramp, {until}";
    }

    internal static string Format(TimeSpan t) => t.TotalSeconds >= 120 && t.TotalSeconds % 60 == 0 ? $"{t.TotalMinutes:0} min" : $"{t.TotalSeconds:0.###} s";
}
