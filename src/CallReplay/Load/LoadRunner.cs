using System.Diagnostics;
using System.Globalization;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// Places many calls at once with one <see cref="FakeTwilioCaller"/> and watches them: the calls' own measurements,
/// the generator's send lateness over every frame, CPU and memory of the generator, the server and the emulator, and
/// the server's <c>/metrics</c>.
/// </summary>
/// <remarks>
/// <code>
///  RunAsync ─┬─ generation: slots (concurrency) or a start schedule (rate) ─► CallAsync per call ─► LoadCallRecord
///            ├─ sampler: every SampleInterval, calls in flight, CPU (/proc), memory, lateness of the window
///            └─ metrics: baseline scrape, one every MetricsInterval, a final one after the last call
///  stop: hold over / total reached ─► no new calls; calls in flight finish (Drain at most, then cut)
///        cancellation (Ctrl+C)     ─► calls in flight cancelled at once; the run still returns everything so far
/// </code>
/// </remarks>
public sealed class LoadRunner
{
    private const int LiveWindow = 2000;

    /// <summary>How long a concurrency slot waits after a failed call before it places the next.</summary>
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);

    private readonly LoadOptions _options;
    private readonly IReadOnlyList<RecordedCall> _recordings;
    private readonly FakeTwilioApi? _api;
    private readonly HttpClient _metricsHttp;
    private readonly LatencyHistogram _lateness = new();
    private readonly SendLatenessTimeline _latenessByTime = new(); // to tell the generator's own stalls from the server's gaps
    private readonly Lock _lock = new();
    private readonly List<LoadCallRecord> _records = [];
    private readonly List<TimeSample> _samples = [];
    private readonly Dictionary<int, LatencyHistogram> _levels = [];
    private readonly List<(double Worst, int Index, IReadOnlyList<TimelineEvent> Events)> _slow = [];
    private readonly Dictionary<int, IReadOnlyList<TimelineEvent>> _flaggedTimelines = []; // failed calls, and calls that broke a pass rule
    private readonly Queue<double> _liveResponses = new();
    private readonly Queue<double> _liveSetups = new();
    private readonly ProcessSampler? _server;
    private readonly ProcessSampler? _emulator;
    private LatencyHistogram _windowLateness = new();
    private long _start;
    private int _started;
    private int _inFlight;
    private int _completed;
    private int _failed;
    private int _canceled;
    private int _maxInFlight;
    private ServerMetrics? _metrics;

    /// <param name="options">What load to generate.</param>
    /// <param name="recordings">The callers (call n plays recording n mod count).</param>
    /// <param name="api">A fake Twilio REST API the calls register with (for servers that use REST call control).</param>
    /// <param name="metricsHttp">For scraping <see cref="LoadOptions.MetricsUrl"/> (a private client by default).</param>
    public LoadRunner(LoadOptions options, IReadOnlyList<RecordedCall> recordings, FakeTwilioApi? api = null, HttpClient? metricsHttp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recordings);
        if (recordings.Count == 0)
        {
            throw new ArgumentException("At least one recording is needed.", nameof(recordings));
        }

        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _recordings = recordings;
        _api = api;
        _metricsHttp = metricsHttp ?? new HttpClient();
        _server = options.ServerPid is { } s ? new ProcessSampler(s) : null;
        _emulator = options.EmulatorPid is { } e ? new ProcessSampler(e) : null;
    }

    public LoadOptions Options => _options;

    /// <summary>Milliseconds since the run started.</summary>
    private double ElapsedMs => _start == 0 ? 0 : Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>The run so far, for a live view (thread-safe, cheap).</summary>
    public LoadProgress Progress()
    {
        double[] responses;
        double[] setups;
        TimeSample? last;
        lock (_lock)
        {
            responses = [.. _liveResponses];
            setups = [.. _liveSetups];
            last = _samples.Count == 0 ? null : _samples[^1];
        }

        return new LoadProgress(
            TimeSpan.FromMilliseconds(ElapsedMs),
            Volatile.Read(ref _inFlight),
            Volatile.Read(ref _started),
            Volatile.Read(ref _completed),
            Volatile.Read(ref _failed),
            Volatile.Read(ref _canceled),
            LatencyStats.Of(responses),
            LatencyStats.Of(setups),
            last?.LatenessP99Ms,
            last?.GeneratorCores,
            last?.ServerCores,
            last?.EmulatorCores);
    }

    /// <summary>Runs the load and returns what was measured; cancellation ends it early (calls in flight are cancelled) and still returns.</summary>
    public async Task<LoadRun> RunAsync(CancellationToken cancellationToken = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        _start = Stopwatch.GetTimestamp();
        using var stopStarting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var cutCalls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = new CancellationTokenSource();
        stopStarting.Token.Register(() =>
        {
            try
            {
                cutCalls.CancelAfter(_options.Drain);
            }
            catch (ObjectDisposedException)
            {
                // the run is over
            }
        });

        using var clock = new PrecisionTimeProvider();
        var caller = new CallerFactory(_options.Caller with
        {
            OnEvent = Chain(_options.Caller.OnEvent, OnEvent),
            OnSendLateness = Chain(_options.Caller.OnSendLateness, OnLateness),
            KeepHeardAudio = false,
            TimelineMarks = false,
        }, clock, _api, _options.DistinctCallers);

        if (_options.WarmUp)
        {
            await WarmUpAsync(clock, cancellationToken);
            _start = Stopwatch.GetTimestamp();
            startedAt = DateTimeOffset.UtcNow;
        }

        if (_options.MetricsUrl is { } metricsUrl)
        {
            _metrics = new ServerMetrics(metricsUrl, _metricsHttp);
            await _metrics.ScrapeAsync(0, cancellationToken);
        }

        var generatorStart = ProcessSampler.Self();
        var serverStart = _server?.Sample();
        var emulatorStart = _emulator?.Sample();
        var sampler = SampleLoopAsync(stopWatching.Token);
        var scraper = _metrics is null ? Task.CompletedTask : ScrapeLoopAsync(_metrics, stopWatching.Token);

        var rampEnd = _options.Rate is null ? _options.EffectiveRamp : TimeSpan.Zero;
        if (_options.Hold is { } hold)
        {
            stopStarting.CancelAfter(rampEnd + hold);
        }

        try
        {
            if (_options.Rate is { } rate)
            {
                await RateLoopAsync(caller, rate, stopStarting, cutCalls.Token, cancellationToken);
            }
            else
            {
                var slots = Enumerable.Range(0, _options.Calls)
                    .Select(slot => SlotLoopAsync(caller, TimeSpan.FromTicks(_options.EffectiveRamp.Ticks * slot / _options.Calls), stopStarting, cutCalls.Token, cancellationToken))
                    .ToList();
                await Task.WhenAll(slots);
            }
        }
        finally
        {
            await stopStarting.CancelAsync();
        }

        var generatorEnd = ProcessSampler.Self();
        var serverEnd = _server?.Sample();
        var emulatorEnd = _emulator?.Sample();
        await stopWatching.CancelAsync();
        await sampler;
        await scraper;
        Sample();
        if (_metrics is not null)
        {
            int streamed;
            lock (_lock)
            {
                streamed = _records.Count(r => r.FramesSent > 0);
            }

            await _metrics.ScrapeSettledAsync(() => ElapsedMs, streamed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        }

        var endedAt = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            var timelines = new Dictionary<int, IReadOnlyList<TimelineEvent>>(_flaggedTimelines);
            foreach (var (_, index, events) in _slow)
            {
                timelines[index] = events;
            }

            return new LoadRun
            {
                Options = _options,
                Recordings = [.. _recordings.Select(r => r.Name)],
                StartedAt = startedAt,
                EndedAt = endedAt,
                Interrupted = cancellationToken.IsCancellationRequested,
                Calls = [.. _records.OrderBy(r => r.Index)],
                Samples = [.. _samples],
                Lateness = _lateness,
                LatenessByLevel = _levels.OrderBy(l => l.Key).Select(l => (l.Key, l.Value)).ToList(),
                MaxInFlight = _maxInFlight,
                Generator = Usage(generatorStart, generatorEnd),
                Server = serverStart is { } s0 && serverEnd is { } s1 ? Usage(s0, s1) : null,
                Emulator = emulatorStart is { } e0 && emulatorEnd is { } e1 ? Usage(e0, e1) : null,
                ServerMetrics = _metrics?.Summarize(),
                ServerMetricsPoints = _metrics?.Points ?? [],
                Timelines = timelines,
                SlowestIndexes = [.. _slow.OrderByDescending(s => s.Worst).Select(s => s.Index)],
            };
        }
    }

    /// <summary>Short calls at once, measured by nobody: they compile and connect everything the run's calls use.</summary>
    private async Task WarmUpAsync(TimeProvider clock, CancellationToken cancellationToken) =>
        await Task.WhenAll(Enumerable.Range(0, _options.WarmUpCalls).Select(i => WarmUpCallAsync(i, clock, cancellationToken)));

    private async Task WarmUpCallAsync(int number, TimeProvider clock, CancellationToken cancellationToken)
    {
        var first = _recordings[0];
        var length = TimeSpan.FromSeconds(Math.Min(3, first.Duration.TotalSeconds));
        var bytes = first.MuLaw[..(int)(length.TotalSeconds * 8000)].ToArray();
        var recording = RecordedCall.FromMuLaw("warm-up", bytes, [.. first.Utterances.Where(u => u.End <= length)]);
        var caller = new FakeTwilioCaller(_options.Caller with
        {
            From = $"+1555999{9999 - number:D4}", // a caller of its own each: the server limits calls per caller
            HangupAfter = TimeSpan.FromMilliseconds(300),
            MaxDuration = TimeSpan.FromSeconds(15),
            KeepHeardAudio = false,
        }, timeProvider: clock, api: _api);
        try
        {
            await caller.CallAsync(recording, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a warm-up that fails says nothing: the run's own calls will
        }
    }

    private async Task SlotLoopAsync(CallerFactory caller, TimeSpan offset, CancellationTokenSource stopStarting, CancellationToken cut, CancellationToken run)
    {
        try
        {
            var wait = offset - TimeSpan.FromMilliseconds(ElapsedMs);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stopStarting.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var total = _options.Total ?? (_options.Hold is null ? _options.Calls : int.MaxValue);
        while (!stopStarting.IsCancellationRequested)
        {
            var index = Interlocked.Increment(ref _started) - 1;
            if (index >= total)
            {
                Interlocked.Decrement(ref _started);
                await stopStarting.CancelAsync();
                return;
            }

            if (await RunCallAsync(caller, index, cut, run) && !stopStarting.IsCancellationRequested)
            {
                // A failed call (the server refusing or gone) is retried by this slot after a pause, not in a tight loop.
                try
                {
                    await Task.Delay(FailureBackoff, stopStarting.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RateLoopAsync(CallerFactory caller, double rate, CancellationTokenSource stopStarting, CancellationToken cut, CancellationToken run)
    {
        var running = new List<Task>();
        using var slots = _options.Calls > 0 ? new SemaphoreSlim(_options.Calls) : null;
        var total = _options.Total ?? int.MaxValue;
        try
        {
            for (var k = 0; k < total; k++)
            {
                var due = TimeSpan.FromSeconds(k / rate) - TimeSpan.FromMilliseconds(ElapsedMs);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stopStarting.Token);
                }

                if (slots is not null)
                {
                    await slots.WaitAsync(stopStarting.Token);
                }

                stopStarting.Token.ThrowIfCancellationRequested();
                var index = Interlocked.Increment(ref _started) - 1;
                running.Add(RunAndReleaseAsync(index));
            }
        }
        catch (OperationCanceledException) when (stopStarting.IsCancellationRequested)
        {
            // hold over or cancelled: no new calls
        }

        await stopStarting.CancelAsync();
        await Task.WhenAll(running);

        async Task RunAndReleaseAsync(int index)
        {
            try
            {
                await RunCallAsync(caller, index, cut, run);
            }
            finally
            {
                slots?.Release();
            }
        }
    }

    /// <summary>Places call <paramref name="index"/> and records it; true when it failed.</summary>
    private async Task<bool> RunCallAsync(CallerFactory caller, int index, CancellationToken cut, CancellationToken run)
    {
        var recording = _recordings[index % _recordings.Count];
        var inFlight = Interlocked.Increment(ref _inFlight);
        AtomicMax.Raise(ref _maxInFlight, inFlight);
        var startMs = ElapsedMs;
        LoadCallRecord record;
        IReadOnlyList<TimelineEvent>? timeline = null;
        try
        {
            var result = await Task.Run(() => caller.For(index).CallAsync(recording, cut), CancellationToken.None);
            record = LoadCallRecord.From(index, recording.Name, result, startMs, cut: cut.IsCancellationRequested && !run.IsCancellationRequested, _latenessByTime);
            timeline = result.Timeline;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            record = LoadCallRecord.FromException(index, recording.Name, startMs, ElapsedMs - startMs, e);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        switch (record.Status)
        {
            case LoadCallStatus.Failed:
                Interlocked.Increment(ref _failed);
                break;
            case LoadCallStatus.Ok:
                Interlocked.Increment(ref _completed);
                break;
            default:
                Interlocked.Increment(ref _canceled);
                break;
        }

        lock (_lock)
        {
            _records.Add(record);
            if (timeline is null)
            {
                return record.Failed;
            }

            if (record.Flagged && _flaggedTimelines.Count < _options.FlaggedTimelines)
            {
                _flaggedTimelines[index] = timeline;
            }
            else if (!record.Flagged && _options.SlowestTimelines > 0 && record.WorstMs > 0)
            {
                if (_slow.Count < _options.SlowestTimelines)
                {
                    _slow.Add((record.WorstMs, index, timeline));
                }
                else
                {
                    var min = _slow.MinBy(s => s.Worst);
                    if (record.WorstMs > min.Worst)
                    {
                        _slow.Remove(min);
                        _slow.Add((record.WorstMs, index, timeline));
                    }
                }
            }
        }

        return record.Failed;
    }

    private void OnEvent(TimelineEvent e)
    {
        if (e.Kind == TimelineKinds.ResponseLatency && e.Data.TryGetValue("latencyMs", out var latency) && latency is double ms)
        {
            lock (_lock)
            {
                Push(_liveResponses, ms);
            }
        }
        else if (e.Kind == TimelineKinds.AgentAudioStart && e.Data.TryGetValue("setupMs", out var setup) && setup is double s)
        {
            lock (_lock)
            {
                Push(_liveSetups, s);
            }
        }
    }

    private void OnLateness(TimeSpan lateness)
    {
        _lateness.Record(lateness);
        _latenessByTime.Record(ElapsedMs - lateness.TotalMilliseconds, lateness.TotalMilliseconds);
        Volatile.Read(ref _windowLateness).Record(lateness);
    }

    private async Task SampleLoopAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    private async Task ScrapeLoopAsync(ServerMetrics metrics, CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.MetricsInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                await metrics.ScrapeAsync(ElapsedMs, token);
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    private (double AtMs, ProcessUsage Generator, ProcessUsage? Server, ProcessUsage? Emulator, (double Busy, double Total)? Machine)? _previousSample;

    private void Sample()
    {
        var at = ElapsedMs;
        var window = Interlocked.Exchange(ref _windowLateness, new LatencyHistogram());
        var inFlight = Volatile.Read(ref _inFlight);
        var generator = ProcessSampler.Self();
        var server = _server?.Sample();
        var emulator = _emulator?.Sample();
        var machine = ProcessSampler.Machine();
        double? Cores(double? now, double? before, double seconds) => now is { } n && before is { } b && seconds > 0 ? Math.Max(0, n - b) / seconds : null;
        var previous = _previousSample;
        var seconds = previous is { } p ? (at - p.AtMs) / 1000 : 0;
        var sample = new TimeSample
        {
            AtMs = at,
            InFlight = inFlight,
            Started = Volatile.Read(ref _started),
            Completed = Volatile.Read(ref _completed),
            Failed = Volatile.Read(ref _failed),
            GeneratorCores = Cores(generator.CpuSeconds, previous?.Generator.CpuSeconds, seconds),
            ServerCores = Cores(server?.CpuSeconds, previous?.Server?.CpuSeconds, seconds),
            EmulatorCores = Cores(emulator?.CpuSeconds, previous?.Emulator?.CpuSeconds, seconds),
            MachineBusyCores = machine is { } m && previous?.Machine is { } pm && m.Total > pm.Total
                ? (m.Busy - pm.Busy) / (m.Total - pm.Total) * Environment.ProcessorCount
                : null,
            GeneratorRssMb = generator.RssBytes / 1048576.0,
            GeneratorManagedMb = GC.GetTotalMemory(false) / 1048576.0,
            ServerRssMb = server?.RssBytes / 1048576.0,
            EmulatorRssMb = emulator?.RssBytes / 1048576.0,
            LatenessP99Ms = window.Count == 0 ? null : window.Percentile(0.99),
            LatenessMaxMs = window.Count == 0 ? null : window.MaxMilliseconds,
        };
        _previousSample = (at, generator, server, emulator, machine);
        lock (_lock)
        {
            _samples.Add(sample);
            if (window.Count > 0)
            {
                var level = Level(inFlight);
                if (!_levels.TryGetValue(level, out var histogram))
                {
                    _levels[level] = histogram = new LatencyHistogram();
                }

                histogram.Add(window);
            }
        }
    }

    /// <summary>Calls in flight rounded to a round step near a tenth of the target (1 for small runs): the load levels of the lateness table.</summary>
    private int Level(int inFlight)
    {
        var step = LevelStep(Math.Max(_options.Calls, _maxInFlight));
        return (int)Math.Round(inFlight / (double)step, MidpointRounding.AwayFromZero) * step;
    }

    /// <summary>The smallest of 1, 2, 5, 10, 20, 50, … at or above a tenth of <paramref name="target"/> calls (at least 1).</summary>
    internal static int LevelStep(int target)
    {
        var step = 1;
        for (var i = 0; step * 10 < target; i++)
        {
            step = (i % 3) switch { 0 => step * 2, 1 => step * 5 / 2, _ => step * 2 };
        }

        return step;
    }

    private static UsageDelta Usage(ProcessUsage start, ProcessUsage end) => new(Math.Max(0, end.CpuSeconds - start.CpuSeconds), end.RssBytes / 1048576.0);

    private static void Push(Queue<double> queue, double value)
    {
        queue.Enqueue(value);
        if (queue.Count > LiveWindow)
        {
            queue.Dequeue();
        }
    }

    /// <summary>Makes each call's <see cref="FakeTwilioCaller"/>: its own caller number (a server limits calls per caller), one clock, one API.</summary>
    private sealed class CallerFactory(FakeTwilioCallerOptions options, TimeProvider clock, FakeTwilioApi? api, bool distinct)
    {
        private readonly FakeTwilioCaller _shared = new(options, timeProvider: clock, api: api);

        /// <summary>+1555 followed by the call's number: a distinct caller per call, all in the fictional 555 range.</summary>
        public FakeTwilioCaller For(int index) => distinct
            ? new FakeTwilioCaller(options with { From = string.Create(CultureInfo.InvariantCulture, $"+1555{index % 10_000_000:D7}") }, timeProvider: clock, api: api)
            : _shared;
    }

    private static Action<T>? Chain<T>(Action<T>? first, Action<T> second) => first is null ? second : x =>
    {
        first(x);
        second(x);
    };
}

/// <summary>The live view's numbers: the run so far.</summary>
/// <param name="Elapsed">Since the run started.</param>
/// <param name="Active">Calls in flight.</param>
/// <param name="Started">Calls started.</param>
/// <param name="Completed">Calls that ended well.</param>
/// <param name="Failed">Calls that failed.</param>
/// <param name="Canceled">Calls cancelled (Ctrl+C) or cut at the end.</param>
/// <param name="Response">Response latency over the last responses heard.</param>
/// <param name="Setup">Set-up time over the last calls answered.</param>
/// <param name="LatenessP99Ms">The generator's send lateness p99 over the last second.</param>
/// <param name="GeneratorCores">The generator's CPU over the last second, in cores.</param>
/// <param name="ServerCores">The server's CPU (with --server-pid).</param>
/// <param name="EmulatorCores">The emulator's CPU (with --emulator-pid).</param>
public sealed record LoadProgress(
    TimeSpan Elapsed,
    int Active,
    int Started,
    int Completed,
    int Failed,
    int Canceled,
    LatencyStats Response,
    LatencyStats Setup,
    double? LatenessP99Ms,
    double? GeneratorCores,
    double? ServerCores,
    double? EmulatorCores);

/// <summary>One point of the run's time series.</summary>
public sealed record TimeSample
{
    public double AtMs { get; init; }

    public int InFlight { get; init; }

    public int Started { get; init; }

    public int Completed { get; init; }

    public int Failed { get; init; }

    /// <summary>CPU since the previous sample, in cores (1 = one core busy).</summary>
    public double? GeneratorCores { get; init; }

    public double? ServerCores { get; init; }

    public double? EmulatorCores { get; init; }

    /// <summary>The whole machine's busy CPU, in cores.</summary>
    public double? MachineBusyCores { get; init; }

    public double GeneratorRssMb { get; init; }

    public double GeneratorManagedMb { get; init; }

    public double? ServerRssMb { get; init; }

    public double? EmulatorRssMb { get; init; }

    /// <summary>The generator's send lateness since the previous sample.</summary>
    public double? LatenessP99Ms { get; init; }

    public double? LatenessMaxMs { get; init; }
}

/// <summary>CPU seconds a process used during the run, and its resident memory at the end.</summary>
public sealed record UsageDelta(double CpuSeconds, double RssMb);

/// <summary>Everything a load run measured; <see cref="LoadReport.Build"/> turns it into the report.</summary>
public sealed record LoadRun
{
    public required LoadOptions Options { get; init; }

    public required IReadOnlyList<string> Recordings { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Whether the run was cancelled (Ctrl+C) before it finished.</summary>
    public bool Interrupted { get; init; }

    public required IReadOnlyList<LoadCallRecord> Calls { get; init; }

    public required IReadOnlyList<TimeSample> Samples { get; init; }

    /// <summary>The generator's send lateness over every caller frame of the run.</summary>
    public required LatencyHistogram Lateness { get; init; }

    /// <summary>The generator's send lateness by calls in flight (see <see cref="LoadRunner"/>'s levels).</summary>
    public IReadOnlyList<(int InFlight, LatencyHistogram Lateness)> LatenessByLevel { get; init; } = [];

    public int MaxInFlight { get; init; }

    public required UsageDelta Generator { get; init; }

    public UsageDelta? Server { get; init; }

    public UsageDelta? Emulator { get; init; }

    public ServerMetricsSummary? ServerMetrics { get; init; }

    public IReadOnlyList<ServerMetricsPoint> ServerMetricsPoints { get; init; } = [];

    /// <summary>Timelines kept, by call index: the slowest calls', and the first calls that failed or broke a pass rule (an underrun over 20 ms, a lost frame).</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<TimelineEvent>> Timelines { get; init; } = new Dictionary<int, IReadOnlyList<TimelineEvent>>();

    /// <summary>The slowest calls, slowest first.</summary>
    public IReadOnlyList<int> SlowestIndexes { get; init; } = [];

    public TimeSpan Duration => EndedAt - StartedAt;
}
