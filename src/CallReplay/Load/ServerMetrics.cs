namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// Reads the server's <c>/metrics</c> (Prometheus text, as PhoneAgent's OpenTelemetry exporter serves it) during a
/// run: a baseline scrape before the first call, one every few seconds, and a final one after the last call, so every
/// counter and histogram is reported as what happened during the run.
/// </summary>
/// <remarks>
/// Names it looks for (whichever are present): the bridge's step histogram
/// <c>phoneagent_bridge_step_duration_milliseconds{step}</c>, <c>phoneagent_bridge_pacing_lead_milliseconds</c>,
/// frame counters <c>phoneagent_twilio_stream_frames_total{direction}</c>, drops
/// <c>phoneagent_bridge_frames_dropped_total</c> and <c>phoneagent_twilio_stream_frames_dropped_total</c>
/// {direction, reason}, <c>phoneagent_bridge_calls_ended_total{reason}</c>, <c>…_calls_refused_total</c>, and the
/// process's CPU seconds and memory under the names of .NET's runtime meter or the Prometheus conventions.
/// </remarks>
public sealed class ServerMetrics
{
    internal static readonly string[] CpuNames = ["process_cpu_seconds_total", "dotnet_process_cpu_time_seconds_total", "process_cpu_time_seconds_total", "process_runtime_dotnet_cpu_time_seconds_total"];
    internal static readonly string[] WorkingSetNames = ["dotnet_process_memory_working_set_bytes", "process_working_set_bytes", "process_resident_memory_bytes", "process_memory_usage_bytes"];
    internal static readonly string[] ManagedHeapNames = ["dotnet_gc_last_collection_heap_size_bytes", "process_runtime_dotnet_gc_heap_size_bytes", "dotnet_gc_heap_size_bytes"];

    private readonly HttpClient _http;
    private readonly Lock _lock = new();
    private readonly List<ServerMetricsPoint> _points = [];
    private (double AtMs, PrometheusSnapshot Snapshot)? _baseline;
    private (double AtMs, PrometheusSnapshot Snapshot)? _previous;
    private (double AtMs, PrometheusSnapshot Snapshot)? _last;
    private string? _lastError;
    private int _scrapes;
    private int _failures;

    public ServerMetrics(Uri url, HttpClient http)
    {
        Url = url;
        _http = http;
    }

    public Uri Url { get; }

    /// <summary>Whether at least one scrape succeeded.</summary>
    public bool Available
    {
        get
        {
            lock (_lock)
            {
                return _last is not null;
            }
        }
    }

    /// <summary>Server CPU in cores and memory over time, one point per scrape after the first.</summary>
    public IReadOnlyList<ServerMetricsPoint> Points
    {
        get
        {
            lock (_lock)
            {
                return [.. _points];
            }
        }
    }

    /// <summary>Scrapes once (at <paramref name="atMs"/> since the run started); failures are counted, never thrown.</summary>
    public async Task ScrapeAsync(double atMs, CancellationToken cancellationToken)
    {
        PrometheusSnapshot snapshot;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await _http.GetAsync(Url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                Fail($"HTTP {(int)response.StatusCode} from {Url}");
                return;
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            snapshot = PrometheusSnapshot.Parse(text);
            if (snapshot.Samples.Count == 0)
            {
                Fail($"{Url} served no Prometheus samples");
                return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            Fail(cancellationToken.IsCancellationRequested ? "cancelled" : $"{Url}: {e.Message}");
            return;
        }

        lock (_lock)
        {
            _scrapes++;
            _baseline ??= (atMs, snapshot);
            if (_previous is { } p)
            {
                _points.Add(Point(p.AtMs, p.Snapshot, atMs, snapshot));
            }

            _previous = (atMs, snapshot);
            _last = (atMs, snapshot);
        }
    }

    /// <summary>
    /// The final scrape: scrapes every <paramref name="interval"/> until the server has caught up with the calls that
    /// just ended (its ended-call counter has grown by <paramref name="callsEnded"/> since the baseline, when it serves
    /// that counter, and its frame counters no longer move between two scrapes), at most for <paramref name="limit"/>.
    /// </summary>
    /// <remarks>
    /// The generator sees a call end when it has sent <c>stop</c> and closed; a busy server may still be reading that
    /// call's last frames and closing it, and a final scrape taken at once would count them as lost.
    /// </remarks>
    public async Task ScrapeSettledAsync(Func<double> atMs, int callsEnded, TimeSpan interval, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(atMs);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        (double Frames, double? Ended)? before = null;
        while (true)
        {
            await ScrapeAsync(atMs(), CancellationToken.None);
            var now = Progress();
            if (now is null || System.Diagnostics.Stopwatch.GetElapsedTime(start) + interval > limit
                || (before is { } b && b.Frames == now.Value.Frames && (now.Value.Ended is not { } ended || ended >= callsEnded)))
            {
                return;
            }

            before = now;
            await Task.Delay(interval);
        }
    }

    /// <summary>Frames counted and calls ended since the baseline, per the last scrape.</summary>
    private (double Frames, double? Ended)? Progress()
    {
        lock (_lock)
        {
            if (_last is not { } last || _baseline is not { } baseline)
            {
                return null;
            }

            const string frames = "phoneagent_twilio_stream_frames_total";
            const string ended = "phoneagent_bridge_calls_ended_total";
            var framesNow = (last.Snapshot.Sum(frames) ?? 0) - (baseline.Snapshot.Sum(frames) ?? 0);
            double? endedNow = last.Snapshot.Has(ended) ? last.Snapshot.Sum(ended)!.Value - (baseline.Snapshot.Sum(ended) ?? 0) : null;
            return (framesNow, endedNow);
        }
    }

    /// <summary>What the scrapes say about the run (deltas from the baseline to the last scrape).</summary>
    public ServerMetricsSummary Summarize()
    {
        lock (_lock)
        {
            if (_last is not { } last || _baseline is not { } baseline)
            {
                return new ServerMetricsSummary
                {
                    Available = false,
                    Url = Url.ToString(),
                    Error = _lastError ?? "never scraped",
                };
            }

            var b = baseline.Snapshot;
            var l = last.Snapshot;
            var steps = new SortedDictionary<string, StepStats>(StringComparer.Ordinal);
            var stepName = FindHistogram(l, "phoneagent_bridge_step_duration");
            if (stepName is not null)
            {
                foreach (var step in l.Get(stepName + "_bucket").Select(s => s.Label("step")).OfType<string>().Distinct())
                {
                    steps[step] = StepStats.Of(l.Histogram(stepName, s => s.Label("step") == step).Minus(b.Histogram(stepName, s => s.Label("step") == step)));
                }
            }

            var leadName = FindHistogram(l, "phoneagent_bridge_pacing_lead");
            var cpu = Delta(b, l, CpuNames);
            var seconds = (last.AtMs - baseline.AtMs) / 1000;
            return new ServerMetricsSummary
            {
                Available = true,
                Url = Url.ToString(),
                Error = _failures > 0 ? $"{_failures} of {_failures + _scrapes} scrapes failed; last: {_lastError}" : null,
                Scrapes = _scrapes,
                Steps = steps,
                PacingLead = leadName is null ? null : StepStats.Of(l.Histogram(leadName).Minus(b.Histogram(leadName))),
                CpuMetric = cpu?.Name,
                CpuSeconds = cpu?.Value,
                CpuCores = cpu is { } c && seconds > 0 ? c.Value / seconds : null,
                WorkingSetMb = MaxOver(WorkingSetNames, p => p.WorkingSetMb) is { } ws ? ws / 1048576 : null,
                ManagedHeapMb = MaxOver(ManagedHeapNames, p => p.ManagedHeapMb) is { } heap ? heap / 1048576 : null,
                ManagedHeapBaselineMb = b.First(ManagedHeapNames)?.Value / 1048576,
                Frames = ByLabels(b, l, "phoneagent_twilio_stream_frames_total", "direction"),
                FramesDropped = Merge(
                    ByLabels(b, l, "phoneagent_bridge_frames_dropped_total", "direction", "reason", prefix: "bridge"),
                    ByLabels(b, l, "phoneagent_twilio_stream_frames_dropped_total", "direction", "reason", prefix: "twilio")),
                GcPauseSeconds = Delta(b, l, ["dotnet_gc_pause_time_seconds_total"])?.Value,
                GcCollections = ByLabels(b, l, "dotnet_gc_collections_total", "gc_heap_generation"),
                ThreadPoolThreadsMax = _points.Count == 0 ? null : _points.Max(p => p.ThreadPoolThreads),
                CallsEnded = ByLabels(b, l, "phoneagent_bridge_calls_ended_total", "reason"),
                CallsRefused = ByLabels(b, l, "phoneagent_bridge_calls_refused_total", "reason"),
            };
        }
    }

    private void Fail(string error)
    {
        lock (_lock)
        {
            _failures++;
            _lastError = error;
        }
    }

    private double? MaxOver(string[] names, Func<ServerMetricsPoint, double?> select)
    {
        double? max = null;
        foreach (var p in _points)
        {
            var v = select(p);
            if (v is { } x && (max is null || x > max))
            {
                max = x;
            }
        }

        if (_last?.Snapshot.First(names) is { } now)
        {
            var mb = now.Value / 1048576;
            max = max is null ? mb : Math.Max(max.Value, mb);
        }

        return max * 1048576;
    }

    private static ServerMetricsPoint Point(double fromMs, PrometheusSnapshot from, double toMs, PrometheusSnapshot to)
    {
        var seconds = (toMs - fromMs) / 1000;
        var cpu = Delta(from, to, CpuNames);
        var stepName = FindHistogram(to, "phoneagent_bridge_step_duration");
        Dictionary<string, double>? stepP99 = null;
        if (stepName is not null)
        {
            stepP99 = [];
            foreach (var step in to.Get(stepName + "_bucket").Select(s => s.Label("step")).OfType<string>().Distinct())
            {
                var h = to.Histogram(stepName, s => s.Label("step") == step).Minus(from.Histogram(stepName, s => s.Label("step") == step));
                if (h.Total > 0)
                {
                    stepP99[step] = h.Quantile(0.99);
                }
            }
        }

        return new ServerMetricsPoint(
            toMs,
            cpu is { } c && seconds > 0 ? c.Value / seconds : null,
            to.First(WorkingSetNames)?.Value / 1048576,
            to.First(ManagedHeapNames)?.Value / 1048576,
            to.Sum("phoneagent_bridge_calls_active"),
            stepP99)
        {
            GcPauseMs = Delta(from, to, ["dotnet_gc_pause_time_seconds_total"]) is { } pause ? pause.Value * 1000 : null,
            ThreadPoolThreads = to.First("dotnet_thread_pool_thread_count", "dotnet_thread_pool_thread_count_total")?.Value,
        };
    }

    private static (string Name, double Value)? Delta(PrometheusSnapshot from, PrometheusSnapshot to, string[] names)
    {
        if (to.First(names) is not { } now)
        {
            return null;
        }

        var before = from.Sum(now.Name) ?? 0;
        return (now.Name, Math.Max(0, now.Value - before));
    }

    private static string? FindHistogram(PrometheusSnapshot snapshot, string prefix) =>
        snapshot.Samples.Select(s => s.Name).FirstOrDefault(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith("_bucket", StringComparison.Ordinal))?[..^"_bucket".Length];

    private static SortedDictionary<string, double> ByLabels(PrometheusSnapshot from, PrometheusSnapshot to, string name, string label, string? label2 = null, string? prefix = null)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in to.Get(name))
        {
            var key = string.Join('/', new[] { prefix, s.Label(label), label2 is null ? null : s.Label(label2) }.Where(k => k is not null));
            var before = from.Sum(name, o => o.Label(label) == s.Label(label) && (label2 is null || o.Label(label2) == s.Label(label2))) ?? 0;
            result[key] = result.GetValueOrDefault(key) + Math.Max(0, s.Value - before);
        }

        return result;
    }

    private static SortedDictionary<string, double> Merge(SortedDictionary<string, double> a, SortedDictionary<string, double> b)
    {
        foreach (var (k, v) in b)
        {
            a[k] = a.GetValueOrDefault(k) + v;
        }

        return a;
    }
}

/// <summary>What the server's metrics said between two scrapes.</summary>
/// <param name="AtMs">The later scrape, since the run started.</param>
/// <param name="CpuCores">CPU seconds per second in between.</param>
/// <param name="WorkingSetMb">Working set at the later scrape.</param>
/// <param name="ManagedHeapMb">Managed heap after the last GC.</param>
/// <param name="ActiveCalls">The bridge's own count of calls in flight.</param>
/// <param name="StepP99Ms">p99 of each bridge step in between.</param>
public sealed record ServerMetricsPoint(double AtMs, double? CpuCores, double? WorkingSetMb, double? ManagedHeapMb, double? ActiveCalls, IReadOnlyDictionary<string, double>? StepP99Ms)
{
    /// <summary>Time the runtime paused for garbage collection in between.</summary>
    public double? GcPauseMs { get; init; }

    /// <summary>Thread-pool threads at the later scrape.</summary>
    public double? ThreadPoolThreads { get; init; }
}

/// <summary>The server's metrics over a run.</summary>
public sealed record ServerMetricsSummary
{
    public bool Available { get; init; }

    public required string Url { get; init; }

    /// <summary>Why the metrics are not available (or how many scrapes failed).</summary>
    public string? Error { get; init; }

    public int Scrapes { get; init; }

    /// <summary>The bridge's processing time per step during the run (ms).</summary>
    public IReadOnlyDictionary<string, StepStats> Steps { get; init; } = new Dictionary<string, StepStats>();

    /// <summary>Agent audio queued at Twilio after each frame (ms).</summary>
    public StepStats? PacingLead { get; init; }

    /// <summary>Which metric the CPU came from.</summary>
    public string? CpuMetric { get; init; }

    public double? CpuSeconds { get; init; }

    /// <summary>Average CPU over the run, in cores.</summary>
    public double? CpuCores { get; init; }

    public double? WorkingSetMb { get; init; }

    public double? ManagedHeapMb { get; init; }

    public double? ManagedHeapBaselineMb { get; init; }

    /// <summary>Media frames the server counted, by direction.</summary>
    public IReadOnlyDictionary<string, double> Frames { get; init; } = new Dictionary<string, double>();

    /// <summary>Frames dropped, as <c>layer/direction/reason</c>.</summary>
    public IReadOnlyDictionary<string, double> FramesDropped { get; init; } = new Dictionary<string, double>();

    /// <summary>Time the server's runtime paused for garbage collection during the run.</summary>
    public double? GcPauseSeconds { get; init; }

    /// <summary>Garbage collections during the run, by generation.</summary>
    public IReadOnlyDictionary<string, double> GcCollections { get; init; } = new Dictionary<string, double>();

    /// <summary>Most thread-pool threads seen.</summary>
    public double? ThreadPoolThreadsMax { get; init; }

    public IReadOnlyDictionary<string, double> CallsEnded { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, double> CallsRefused { get; init; } = new Dictionary<string, double>();
}

/// <summary>A bridge step's processing time from its Prometheus histogram (ms).</summary>
public sealed record StepStats
{
    public double Count { get; init; }

    public double P50 { get; init; }

    public double P95 { get; init; }

    public double P99 { get; init; }

    /// <summary>Share of observations at or below 1 ms (exact: 1 ms is a bucket bound).</summary>
    public double AtOrBelow1Ms { get; init; }

    /// <summary>Share of observations at or below 2 ms.</summary>
    public double AtOrBelow2Ms { get; init; }

    public static StepStats Of(HistogramBuckets h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new StepStats
        {
            Count = h.Total,
            P50 = h.Quantile(0.50),
            P95 = h.Quantile(0.95),
            P99 = h.Quantile(0.99),
            AtOrBelow1Ms = h.FractionAtOrBelow(1),
            AtOrBelow2Ms = h.FractionAtOrBelow(2),
        };
    }
}
