using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PhoneAgent.CallReplay.Calls;

namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// Writes a load report into a folder: <c>load-report.json</c>, <c>load-report.html</c> (one self-contained file:
/// inline CSS and inline SVG, no script, nothing fetched), <c>svg/*.svg</c> (the same plots as files) and
/// <c>timelines/call-NNNNN.jsonl</c> (the slowest and the first failed calls' timelines, linked from the HTML).
/// </summary>
public static class LoadReportWriter
{
    public const string JsonFile = "load-report.json";
    public const string HtmlFile = "load-report.html";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes everything; returns the paths of the JSON and HTML files.</summary>
    public static (string Json, string Html) Write(LoadReport report, LoadRun run, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Path.Combine(folder, "svg"));

        // Timelines of the slowest calls and of the failed or flagged ones
        if (run.Timelines.Count > 0)
        {
            Directory.CreateDirectory(Path.Combine(folder, "timelines"));
        }

        var written = new Dictionary<int, string>();
        foreach (var (index, events) in run.Timelines)
        {
            var relative = $"timelines/call-{index:D5}.jsonl";
            using (var file = File.Create(Path.Combine(folder, relative)))
            {
                CallTimeline.WriteJsonl(file, events);
            }

            written[index] = relative;
        }

        report.PerCall = [.. report.PerCall.Select(c => written.TryGetValue(c.Index, out var t) ? c with { Timeline = t } : c)];

        // Charts
        var charts = Charts(report, run);
        foreach (var (name, chart) in charts)
        {
            File.WriteAllText(Path.Combine(folder, "svg", name + ".svg"), chart.Render(standalone: true) + "\n");
        }

        report.Charts = [.. charts.Select(c => $"svg/{c.Name}.svg")];

        var jsonPath = Path.Combine(folder, JsonFile);
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, Json) + "\n");
        var htmlPath = Path.Combine(folder, HtmlFile);
        File.WriteAllText(htmlPath, Html(report, charts));
        return (jsonPath, htmlPath);
    }

    /// <summary>Every plot of the report, by file name.</summary>
    internal static List<(string Name, SvgChart Chart)> Charts(LoadReport report, LoadRun run)
    {
        var charts = new List<(string, SvgChart)>();
        var calls = report.PerCall;
        void Distribution(string name, string title, IReadOnlyList<double> values, string color)
        {
            var sorted = values.Order().ToList();
            charts.Add(($"{name}-histogram", Histogram($"{title}: histogram", sorted, color)));
            charts.Add(($"{name}-cdf", new SvgChart($"{title}: CDF", "ms", "fraction of values").Line(Percentiles.Cdf(sorted).Select(p => (p.Value, p.Fraction)), color, "", step: true)));
        }

        Distribution("setup", "Call set-up time (webhook → first agent audio)", [.. calls.Where(c => c.SetupMs is not null).Select(c => c.SetupMs!.Value)], SvgChart.Palette[0]);
        Distribution("response", "Response latency (end of caller speech → agent audio)", [.. calls.SelectMany(c => c.Responses).Select(r => r.Ms)], SvgChart.Palette[1]);
        Distribution("barge-in", "Barge-in latency (caller speech → agent audio stops)", [.. calls.SelectMany(c => c.BargeInMs)], SvgChart.Palette[2]);
        Distribution("underrun", "Gaps in agent audio (underruns)", [.. calls.SelectMany(c => c.UnderrunMs)], SvgChart.Palette[3]);

        // Generator lateness from its histogram
        var buckets = run.Lateness.Buckets();
        var lateHist = new SvgChart("Generator send lateness vs the 20 ms clock: histogram (tail in the last bar)", "ms", "frames");
        lateHist.Bars(Rebin(buckets, 40), SvgChart.Palette[4], "frames");
        charts.Add(("lateness-histogram", lateHist));
        var cumulative = 0L;
        var total = Math.Max(1, run.Lateness.Count);
        var latenessCdf = buckets.Select(b => (b.Upper, (double)(cumulative += b.Count) / total)).ToList();
        var lateCdf = new SvgChart("Generator send lateness: CDF", "ms", "fraction of frames").Line(latenessCdf, SvgChart.Palette[4], "", step: true);
        charts.Add(("lateness-cdf", lateCdf));

        // Over time, against calls in flight
        var samples = report.TimeSeries;
        var inFlight = samples.Select(s => (s.AtMs / 1000, (double)s.InFlight)).ToList();
        var latency = new SvgChart("Response latency and calls in flight over time", "seconds since start", "response latency (ms)") { Y2Label = "calls in flight" };
        latency.Area(inFlight, "#888", "calls in flight", rightAxis: true);
        latency.Line(report.ResponseSeries.Select(w => (w.AtMs / 1000, w.P50Ms)), SvgChart.Palette[0], "p50");
        latency.Line(report.ResponseSeries.Select(w => (w.AtMs / 1000, w.P95Ms)), SvgChart.Palette[1], "p95");
        latency.Line(report.ResponseSeries.Select(w => (w.AtMs / 1000, w.MaxMs)), SvgChart.Palette[3], "max", dashed: true);
        charts.Add(("latency-over-time", latency));

        var cpu = new SvgChart("CPU and calls in flight over time", "seconds since start", "CPU (cores)") { Y2Label = "calls in flight" };
        cpu.Area(inFlight, "#888", "calls in flight", rightAxis: true);
        if (samples.Any(s => s.ServerCores is not null))
        {
            cpu.Line(samples.Where(s => s.ServerCores is not null).Select(s => (s.AtMs / 1000, s.ServerCores!.Value)), SvgChart.Palette[0], "server");
        }
        else if (report.ServerMetricsSeries.Any(p => p.CpuCores is not null))
        {
            cpu.Line(report.ServerMetricsSeries.Where(p => p.CpuCores is not null).Select(p => (p.AtMs / 1000, p.CpuCores!.Value)), SvgChart.Palette[0], "server (/metrics)");
        }

        cpu.Line(samples.Where(s => s.EmulatorCores is not null).Select(s => (s.AtMs / 1000, s.EmulatorCores!.Value)), SvgChart.Palette[2], "emulator");
        cpu.Line(samples.Where(s => s.GeneratorCores is not null).Select(s => (s.AtMs / 1000, s.GeneratorCores!.Value)), SvgChart.Palette[4], "generator");
        cpu.Line(samples.Where(s => s.MachineBusyCores is not null).Select(s => (s.AtMs / 1000, s.MachineBusyCores!.Value)), "#444", "machine", dashed: true);
        cpu.Limit(Environment.ProcessorCount, "#d62728", $"{Environment.ProcessorCount} cores");
        charts.Add(("cpu-over-time", cpu));

        var memory = new SvgChart("Memory and calls in flight over time", "seconds since start", "MB") { Y2Label = "calls in flight" };
        memory.Area(inFlight, "#888", "calls in flight", rightAxis: true);
        if (samples.Any(s => s.ServerRssMb is not null))
        {
            memory.Line(samples.Where(s => s.ServerRssMb is not null).Select(s => (s.AtMs / 1000, s.ServerRssMb!.Value)), SvgChart.Palette[0], "server RSS");
        }
        else
        {
            memory.Line(report.ServerMetricsSeries.Where(p => p.WorkingSetMb is not null).Select(p => (p.AtMs / 1000, p.WorkingSetMb!.Value)), SvgChart.Palette[0], "server working set");
        }

        memory.Line(report.ServerMetricsSeries.Where(p => p.ManagedHeapMb is not null).Select(p => (p.AtMs / 1000, p.ManagedHeapMb!.Value)), SvgChart.Palette[5], "server managed heap");
        memory.Line(samples.Where(s => s.EmulatorRssMb is not null).Select(s => (s.AtMs / 1000, s.EmulatorRssMb!.Value)), SvgChart.Palette[2], "emulator RSS");
        memory.Line(samples.Select(s => (s.AtMs / 1000, s.GeneratorRssMb)), SvgChart.Palette[4], "generator RSS");
        if (report.ServerMetricsSeries.Any(p => p.GcPauseMs is > 0))
        {
            var gc = new SvgChart("Server garbage-collection pauses per scrape interval", "seconds since start", "GC pause (ms)") { Y2Label = "calls in flight" };
            gc.Area(inFlight, "#888", "calls in flight", rightAxis: true);
            gc.Line(report.ServerMetricsSeries.Where(p => p.GcPauseMs is not null).Select(p => (p.AtMs / 1000, p.GcPauseMs!.Value)), SvgChart.Palette[1], "GC pause");
            charts.Add(("gc-over-time", gc));
        }

        charts.Add(("memory-over-time", memory));

        var lateness = new SvgChart("Generator send lateness p99 (per second) and calls in flight", "seconds since start", "lateness p99 (ms)") { Y2Label = "calls in flight" };
        lateness.Area(inFlight, "#888", "calls in flight", rightAxis: true);
        lateness.Line(samples.Where(s => s.LatenessP99Ms is not null).Select(s => (s.AtMs / 1000, s.LatenessP99Ms!.Value)), SvgChart.Palette[4], "p99");
        lateness.Limit(report.Generator.LatenessLimitMs, "#d62728", $"INVALID above {report.Generator.LatenessLimitMs:0.##} ms");
        charts.Add(("lateness-over-time", lateness));

        if (report.ServerMetricsSeries.Any(p => p.StepP99Ms is { Count: > 0 }))
        {
            var steps = new SvgChart("Bridge processing time p99 per step (per scrape)", "seconds since start", "p99 (ms)") { Y2Label = "calls in flight" };
            steps.Area(inFlight, "#888", "calls in flight", rightAxis: true);
            var names = report.ServerMetricsSeries.Where(p => p.StepP99Ms is not null).SelectMany(p => p.StepP99Ms!.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < names.Count; i++)
            {
                var name = names[i];
                steps.Line(report.ServerMetricsSeries.Where(p => p.StepP99Ms?.ContainsKey(name) == true).Select(p => (p.AtMs / 1000, p.StepP99Ms![name])), SvgChart.Palette[i % SvgChart.Palette.Length], name);
            }

            steps.Limit(1, "#d62728", "1 ms");
            charts.Add(("steps-over-time", steps));
        }

        return charts;
    }

    private static SvgChart Histogram(string title, List<double> sorted, string color)
    {
        var chart = new SvgChart(title, "ms", "count");
        if (sorted.Count == 0)
        {
            return chart;
        }

        var min = sorted[0];
        var max = sorted[^1];
        var ticks = SvgChart.Ticks(0, Math.Max(max - Math.Min(min, 0), 1) / 6);
        var width = Math.Max(ticks.Count > 1 ? ticks[1] - ticks[0] : 1, 1e-3) / 5; // about 30 bins
        var start = Math.Floor(min / width) * width;
        var bins = new SortedDictionary<long, int>();
        foreach (var v in sorted)
        {
            var k = (long)Math.Floor((v - start) / width);
            bins[k] = bins.GetValueOrDefault(k) + 1;
        }

        chart.Bars(bins.Select(b => (start + (b.Key * width), start + ((b.Key + 1) * width), (double)b.Value)), color, $"{sorted.Count} values");
        return chart;
    }

    /// <summary>Merges a log histogram's buckets into <paramref name="count"/> equal-width bars from 0 to twice the p99 (the rest in the last).</summary>
    private static IEnumerable<(double, double, double)> Rebin(IReadOnlyList<(double Lower, double Upper, long Count)> buckets, int count)
    {
        if (buckets.Count == 0)
        {
            return [];
        }

        var total = buckets.Sum(b => b.Count);
        long seen = 0;
        var top = buckets[^1].Upper;
        foreach (var b in buckets)
        {
            seen += b.Count;
            if (seen >= total * 0.99)
            {
                top = Math.Min(buckets[^1].Upper, Math.Max(1, b.Upper * 2)); // up to twice the p99; the tail lands in the last bar
                break;
            }
        }

        var width = Math.Max(top / count, 0.001);
        var bars = new double[count];
        foreach (var b in buckets)
        {
            var k = Math.Min(count - 1, (int)(((b.Lower + b.Upper) / 2) / width));
            bars[k] += b.Count;
        }

        return bars.Select((c, k) => (k * width, (k + 1) * width, c)).Where(b => b.c > 0);
    }

    /// <summary>The HTML page: every section of the report, the plots inline.</summary>
    internal static string Html(LoadReport r, IReadOnlyList<(string Name, SvgChart Chart)> charts)
    {
        var h = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>CallReplay load report</title>\n<style>\n");
        h.Append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1340px}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}");
        h.Append("table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}");
        h.Append(".badge{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:bold}.PASS{background:#2ca02c}.FAIL{background:#d62728}.INVALID{background:#ff7f0e}");
        h.Append(".grid{display:flex;flex-wrap:wrap;gap:8px}.note{color:#666;font-size:13px}.bad{color:#d62728}.ok{color:#2ca02c}code{background:#f4f4f4;padding:1px 4px}\n</style></head><body>\n");

        h.Append(ci, $"<h1>CallReplay load report <span class=\"badge {T(r.Verdict.Status)}\">{T(r.Verdict.Status)}</span>{(r.Interrupted ? " <span class=\"badge FAIL\">interrupted</span>" : "")}</h1>\n");
        h.Append(ci, $"<p>{T(r.Load)} against <code>{T(r.Target)}</code>; {r.DurationSeconds:0.#} s from {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC; recordings: {T(string.Join(", ", r.Recordings))}.</p>\n");
        if (r.CommandLine is not null)
        {
            h.Append(ci, $"<p class=\"note\">Command: <code>{T(r.CommandLine)}</code></p>\n");
        }

        h.Append(ci, $"<p class=\"note\">Machine: {r.Machine.Cores} cores{(r.Machine.Cpu is null ? "" : $", {T(r.Machine.Cpu)}")}, {T(r.Machine.Os)}, {T(r.Machine.Runtime)}.</p>\n");
        if (r.Verdict.Reasons.Count > 0)
        {
            h.Append("<ul>");
            foreach (var reason in r.Verdict.Reasons)
            {
                h.Append(ci, $"<li class=\"bad\">{T(reason)}</li>");
            }

            h.Append("</ul>\n");
        }

        h.Append("<h2>Checks</h2><table><tr><th class=\"l\">check</th><th>value</th><th>limit</th><th>result</th></tr>");
        foreach (var c in r.Verdict.Checks)
        {
            var result = c.Ok switch { true => "<span class=\"ok\">ok</span>", false => "<span class=\"bad\">failed</span>", null => "<span class=\"note\">not available</span>" };
            h.Append(ci, $"<tr><td class=\"l\">{T(c.Name)}</td><td>{T(c.Value)}</td><td>{T(c.Limit)}</td><td>{result}</td></tr>");
        }

        h.Append("</table>\n");

        var k = r.Calls;
        h.Append("<h2>Calls</h2><table><tr><th>started</th><th>completed</th><th>failed</th><th>canceled</th><th>cut at the end</th><th>most in flight</th><th>call-seconds</th><th>utterances</th><th>unanswered</th><th>barge-ins</th><th>talked through</th><th>with Twilio warnings</th></tr>");
        h.Append(ci, $"<tr><td>{k.Started}</td><td>{k.Completed}</td><td>{k.Failed}</td><td>{k.Canceled}</td><td>{k.Cut}</td><td>{k.MaxInFlight}</td><td>{k.CallSeconds:0}</td><td>{k.Utterances}</td><td>{k.UnansweredUtterances}</td><td>{k.BargeIns}</td><td>{k.BargeInsIgnored}</td><td>{k.CallsWithWarnings}</td></tr></table>\n");
        if (k.FailureReasons.Count > 0)
        {
            h.Append("<table><tr><th class=\"l\">failure</th><th>calls</th></tr>");
            foreach (var (reason, count) in k.FailureReasons)
            {
                h.Append(ci, $"<tr><td class=\"l\">{T(reason)}</td><td>{count}</td></tr>");
            }

            h.Append("</table>\n");
        }

        h.Append("<h2>Latency (ms)</h2><table><tr><th class=\"l\">measure</th><th>count</th><th>min</th><th>mean</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>max</th></tr>");
        void Row(string name, LatencyStats s) => h.Append(ci, $"<tr><td class=\"l\">{T(name)}</td><td>{s.Count}</td><td>{s.Min:0.#}</td><td>{s.Mean:0.#}</td><td>{s.P50:0.#}</td><td>{s.P90:0.#}</td><td>{s.P95:0.#}</td><td>{s.P99:0.#}</td><td>{s.Max:0.#}</td></tr>");
        Row("call set-up (webhook → first agent audio heard)", r.Latency.SetupMs);
        Row("response (end of caller speech → first agent audio heard)", r.Latency.ResponseMs);
        Row("barge-in (caller speech over agent → agent audio stops)", r.Latency.BargeInMs);
        Row("underrun (gap in agent audio while speaking)", r.Latency.UnderrunMs);
        h.Append("</table>\n");
        h.Append(ci, $"<p>Underruns: {r.Underruns.Count} in {r.Underruns.CallsWithUnderruns} call(s), {r.Underruns.Over20Ms} longer than 20 ms, longest {r.Underruns.MaxMs:0} ms.{(r.Underruns.Over20MsDuringGeneratorStalls > 0 ? $" {r.Underruns.Over20MsDuringGeneratorStalls} of those came while the generator itself was stalled at least as long (its send lateness then), so they are not held against the server." : "")}</p>\n");

        var f = r.Frames;
        h.Append("<h2>Frames</h2><table><tr><th class=\"l\">direction</th><th>sent / received</th><th>counted by the server</th><th>lost</th><th>dropped by the server</th></tr>");
        h.Append(ci, $"<tr><td class=\"l\">caller → server</td><td>{f.CallerToServerSent} sent</td><td>{Opt(f.CallerToServerCountedByServer)}</td><td>{Opt(f.CallerToServerCountedByServer is { } counted ? Math.Max(0, f.CallerToServerSent - counted) : null)}</td><td>{f.CallerToServerDroppedByServer:0}</td></tr>");
        h.Append(ci, $"<tr><td class=\"l\">server → caller</td><td>{f.ServerToCallerReceived} received</td><td></td><td>{(f.ServerToCallerLost is { } lost ? lost.ToString(ci) : "not measured")}{(f.ServerToCallerOverflowed > 0 ? $" + {f.ServerToCallerOverflowed} overflowed" : "")}</td><td>{f.ServerToCallerDroppedByServer:0}</td></tr></table>\n");
        h.Append("<p class=\"note\">Lost server → caller: frames PhoneAgent's marks (<code>t{turn}.f{frames}</code>) announced that never arrived. Caller → server: frames sent minus frames the server counted (when it serves <code>/metrics</code>; frames still in flight when the server ended a stream count here too).</p>\n");

        h.Append("<h2>CPU and memory</h2><table><tr><th class=\"l\">process</th><th>pid</th><th>CPU source</th><th>CPU seconds</th><th>average cores</th><th>CPU ms per call-second</th><th>memory (MB, max)</th><th>managed KB per call</th></tr>");
        void Proc(string name, ProcessSection p) => h.Append(ci, $"<tr><td class=\"l\">{name}</td><td>{Opt(p.Pid)}</td><td class=\"l\">{T(p.CpuSource ?? "not available")}</td><td>{Opt(p.CpuSeconds)}</td><td>{Opt(p.CpuCores, "0.###")}</td><td>{Opt(p.CpuMsPerCallSecond, "0.###")}</td><td>{Opt(p.RssMbMax, "0")}</td><td>{Opt(p.ManagedKbPerCall, "0.#")}</td></tr>");
        Proc("server", r.Server);
        Proc("emulator", r.Emulator);
        h.Append(ci, $"<tr><td class=\"l\">generator (CallReplay)</td><td>{Environment.ProcessId}</td><td class=\"l\">runtime</td><td>{r.Generator.CpuSeconds:0.##}</td><td>{Opt(r.Generator.CpuCores, "0.###")}</td><td>{Opt(r.Generator.CpuMsPerCallSecond, "0.###")}</td><td>{r.Generator.RssMb:0}</td><td></td></tr></table>\n");

        h.Append("<h2>Generator (CallReplay measuring itself)</h2>");
        var g = r.Generator.LatenessMs;
        h.Append(ci, $"<p>Send lateness against the absolute 20 ms clock over {g.Count} frames: p50 {g.P50:0.###} ms, p99 {g.P99:0.###} ms, max {g.Max:0.###} ms. Limit: p99 ≤ {r.Generator.LatenessLimitMs:0.##} ms; above it a load level is <b>INVALID</b> (generator-limited), never a server failure.</p>");
        if (r.Generator.Levels.Count > 0)
        {
            h.Append("<table><tr><th>calls in flight (about)</th><th>frames</th><th>lateness p99 (ms)</th><th>max (ms)</th><th>level</th></tr>");
            foreach (var l in r.Generator.Levels)
            {
                h.Append(ci, $"<tr><td>{l.InFlight}</td><td>{l.Frames}</td><td>{l.P99Ms:0.###}</td><td>{l.MaxMs:0.###}</td><td>{(l.Invalid ? "<span class=\"bad\">INVALID</span>" : "valid")}</td></tr>");
            }

            h.Append("</table>\n");
        }

        h.Append("<h2>Server metrics (/metrics)</h2>");
        var m = r.ServerMetrics;
        if (!m.Available)
        {
            h.Append(ci, $"<p>Not available{(m.Error is null ? "" : $": {T(m.Error)}")}.</p>\n");
        }
        else
        {
            h.Append(ci, $"<p class=\"note\">{m.Scrapes} scrapes of <code>{T(m.Url)}</code>{(m.Error is null ? "" : $" ({T(m.Error)})")}; figures are what happened during the run.</p>");
            h.Append("<table><tr><th class=\"l\">bridge step</th><th>observations</th><th>p50 (ms)</th><th>p95 (ms)</th><th>p99 (ms)</th><th>≤ 1 ms</th><th>≤ 2 ms</th></tr>");
            foreach (var (name, s) in m.Steps)
            {
                h.Append(ci, $"<tr><td class=\"l\">{T(name)}</td><td>{s.Count:0}</td><td>{s.P50:0.###}</td><td>{s.P95:0.###}</td><td>{s.P99:0.###}</td><td>{s.AtOrBelow1Ms:P2}</td><td>{s.AtOrBelow2Ms:P2}</td></tr>");
            }

            if (m.PacingLead is { } lead)
            {
                h.Append(ci, $"<tr><td class=\"l\">pacing lead (audio queued at Twilio)</td><td>{lead.Count:0}</td><td>{lead.P50:0.#}</td><td>{lead.P95:0.#}</td><td>{lead.P99:0.#}</td><td></td><td></td></tr>");
            }

            h.Append("</table>\n");
            h.Append(ci, $"<p>CPU {Opt(m.CpuSeconds)} s ({T(m.CpuMetric ?? "no CPU metric")}); working set max {Opt(m.WorkingSetMb, "0")} MB; managed heap max {Opt(m.ManagedHeapMb, "0.#")} MB (before the run {Opt(m.ManagedHeapBaselineMb, "0.#")} MB).</p>");
            h.Append(ci, $"<p>Garbage collection: {Opt(m.GcPauseSeconds * 1000, "0")} ms paused in all ({string.Join(", ", m.GcCollections.Select(g => $"{T(g.Key)} {g.Value:0}"))} collections); thread-pool threads at most {Opt(m.ThreadPoolThreadsMax, "0")}.</p>");
            Dict("calls ended (server)", m.CallsEnded);
            Dict("calls refused (server)", m.CallsRefused);
            Dict("frames (server)", m.Frames);
            Dict("frames dropped (server)", m.FramesDropped);
        }

        h.Append("<h2>Distributions</h2><div class=\"grid\">");
        foreach (var (_, chart) in charts.Where(c => c.Name.EndsWith("-histogram", StringComparison.Ordinal) || c.Name.EndsWith("-cdf", StringComparison.Ordinal)))
        {
            h.Append(chart.Render(standalone: false));
        }

        h.Append("</div>\n<h2>Over time</h2><div class=\"grid\">");
        foreach (var (_, chart) in charts.Where(c => c.Name.EndsWith("-over-time", StringComparison.Ordinal)))
        {
            h.Append(chart.Render(standalone: false));
        }

        h.Append("</div>\n");

        // Per call: failed first, then those that broke a pass rule, then slowest
        var rows = r.PerCall.OrderByDescending(c => c.Failed).ThenByDescending(c => c.Flagged).ThenByDescending(c => c.WorstMs).Take(200).ToList();
        h.Append(ci, $"<h2>Calls, slowest first</h2><p class=\"note\">{rows.Count} of {r.PerCall.Count} calls (failed first, then those that broke a pass rule, then by their slowest moment); every call is in <code>{JsonFile}</code>. Timelines (JSON lines) of the slowest calls, and of calls that failed or broke a pass rule (an underrun over 20 ms, a lost frame), are linked.</p>");
        h.Append("<table><tr><th>#</th><th class=\"l\">recording</th><th class=\"l\">status</th><th>start (s)</th><th>duration (s)</th><th>set-up (ms)</th><th class=\"l\">responses (ms)</th><th class=\"l\">barge-ins (ms)</th><th>underruns</th><th>lost frames</th><th>lateness p99 (ms)</th><th class=\"l\">timeline</th></tr>");
        foreach (var c in rows)
        {
            var status = c.Failed ? $"<span class=\"bad\">failed: {T(c.FailureReason ?? "")}</span>" : T(c.Status);
            var timeline = c.Timeline is null ? "" : $"<a href=\"{T(c.Timeline)}\">{T(Path.GetFileName(c.Timeline))}</a>";
            h.Append(ci, $"<tr><td>{c.Index}</td><td class=\"l\">{T(c.Recording)}</td><td class=\"l\">{status}</td><td>{c.StartMs / 1000:0.0}</td><td>{c.DurationMs / 1000:0.0}</td><td>{Opt(c.SetupMs, "0")}</td><td class=\"l\">{string.Join(", ", c.Responses.Select(x => x.Ms.ToString("0", ci)))}</td><td class=\"l\">{string.Join(", ", c.BargeInMs.Select(x => x.ToString("0", ci)))}{(c.BargeInsIgnored > 0 ? $" ({c.BargeInsIgnored} talked through)" : "")}</td><td>{c.UnderrunMs.Count}{(c.UnderrunMs.Count > 0 ? $" (max {c.UnderrunMs.Max():0} ms)" : "")}{(c.LongUnderruns.Count(u => u.DuringGeneratorStall) is > 0 and var stalled ? $", {stalled} while the generator stalled" : "")}</td><td>{Opt(c.FramesLostToCaller)}</td><td>{c.LatenessP99Ms:0.##}</td><td class=\"l\">{timeline}</td></tr>");
        }

        h.Append("</table>\n<p class=\"note\">Written by CallReplay load. Self-contained: no script, no external resource.</p></body></html>\n");
        return h.ToString();

        void Dict(string title, IReadOnlyDictionary<string, double> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            h.Append(ci, $"<table><tr><th class=\"l\">{T(title)}</th><th>count</th></tr>");
            foreach (var (key, value) in values)
            {
                h.Append(ci, $"<tr><td class=\"l\">{T(key)}</td><td>{value:0}</td></tr>");
            }

            h.Append("</table>");
        }
    }

    /// <summary>HTML text: encoded, and a URL's scheme separator written as an entity, so the page holds no fetchable reference.</summary>
    private static string T(string text) => WebUtility.HtmlEncode(text).Replace("://", "&#58;//", StringComparison.Ordinal);

    private static string Opt(double? value, string format = "0.##") => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Opt(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

    private static string Opt(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
