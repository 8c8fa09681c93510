using PhoneAgent.CallReplay.Load;

namespace PhoneAgent.CallReplay.Tests.Load;

/// <summary>Percentiles, histograms, Prometheus parsing and the verdict rules of the load report.</summary>
public sealed class ReportMathTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)] // a smoke run: one level per call in flight
    [InlineData(15, 2)]
    [InlineData(50, 5)]
    [InlineData(93, 10)]
    [InlineData(100, 10)]
    [InlineData(200, 20)]
    [InlineData(500, 50)]
    public void Lateness_levels_step_by_a_round_tenth_of_the_calls(int calls, int step) => Assert.Equal(step, LoadRunner.LevelStep(calls));

    [Theory]
    [InlineData("ok", new double[0], 0L, false)]
    [InlineData("ok", new[] { 20.0 }, 0L, false)] // one frame late: allowed by the capacity rule
    [InlineData("ok", new[] { 20.0, 40.0 }, 0L, true)]
    [InlineData("ok", new double[0], 1L, true)]
    [InlineData("failed", new double[0], 0L, true)]
    public void A_call_is_flagged_when_it_failed_or_broke_a_pass_rule(string status, double[] underruns, long lost, bool flagged)
    {
        var record = new LoadCallRecord { Index = 0, CallSid = "CA1", Recording = "r.wav", StartMs = 0, DurationMs = 1, EndReason = "CallerHungUp", Status = status, UnderrunMs = underruns, FramesLostToCaller = lost };

        Assert.Equal(flagged, record.Flagged);
    }

    [Fact]
    public void Nearest_rank_percentiles()
    {
        double[] four = [1, 2, 3, 4];
        Assert.Equal(2, Percentiles.NearestRank(four, 0.50));
        Assert.Equal(4, Percentiles.NearestRank(four, 0.95));
        Assert.Equal(1, Percentiles.NearestRank(four, 0));
        Assert.Equal(4, Percentiles.NearestRank(four, 1));
        var hundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(50, Percentiles.NearestRank(hundred, 0.50));
        Assert.Equal(95, Percentiles.NearestRank(hundred, 0.95));
        Assert.Equal(99, Percentiles.NearestRank(hundred, 0.99));
        Assert.Equal(10, Percentiles.NearestRank(hundred, 0.10)); // 0.1·100 is exactly 10, despite floating point
        Assert.True(double.IsNaN(Percentiles.NearestRank([], 0.5)));

        var stats = LatencyStats.Of([5, 1, 4, 2, 3, double.NaN]);
        Assert.Equal(5, stats.Count);
        Assert.Equal(1, stats.Min);
        Assert.Equal(3, stats.Mean);
        Assert.Equal(3, stats.P50);
        Assert.Equal(5, stats.P95);
        Assert.Equal(5, stats.Max);
        Assert.Equal(0, LatencyStats.Of([]).Count);
    }

    [Fact]
    public void Cdf_steps_reach_one_and_are_thinned()
    {
        var cdf = Percentiles.Cdf([1, 1, 2, 4]);
        Assert.Equal([(1.0, 0.5), (2.0, 0.75), (4.0, 1.0)], cdf);
        var many = Percentiles.Cdf(Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray(), maxPoints: 100);
        Assert.Equal(100, many.Count);
        Assert.Equal((9999.0, 1.0), many[^1]);
    }

    [Fact]
    public void Lock_free_histogram_percentiles_are_within_its_bucket_width_and_never_below()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 50_000).Select(_ => TimeSpan.FromMilliseconds(Math.Exp(random.NextDouble() * 6) / 10)).ToList();
        var histogram = new LatencyHistogram();
        Parallel.ForEach(values, histogram.Record);
        var sorted = values.Select(v => v.Ticks / 10 / 1000.0).Order().ToArray();
        Assert.Equal(values.Count, histogram.Count);
        foreach (var p in new[] { 0.5, 0.9, 0.95, 0.99, 0.999 })
        {
            var exact = Percentiles.NearestRank(sorted, p);
            var estimate = histogram.Percentile(p);
            Assert.InRange(estimate, exact, (exact * 1.035) + 0.001);
        }

        Assert.Equal(sorted[^1], histogram.MaxMilliseconds, 3);
        Assert.Equal(sorted.Average(), histogram.MeanMilliseconds, 2);
        Assert.Equal(values.Count, histogram.Buckets().Sum(b => b.Count));

        var window = new LatencyHistogram();
        window.Record(TimeSpan.FromMilliseconds(12));
        histogram.Add(window);
        Assert.Equal(values.Count + 1, histogram.Count);
    }

    [Fact]
    public void Histogram_buckets_map_back_onto_their_edges()
    {
        foreach (var micros in new long[] { 0, 1, 63, 64, 65, 127, 128, 1000, 4_999, 5_000, 123_456, 10_000_000 })
        {
            var index = LatencyHistogram.IndexOf(micros);
            Assert.InRange(micros, LatencyHistogram.LowerEdge(index), LatencyHistogram.UpperEdge(index));
        }
    }

    [Fact]
    public void Prometheus_text_is_parsed_and_histograms_give_quantiles_as_promql()
    {
        const string text = """
            # HELP phoneagent_bridge_step_duration_milliseconds Bridge processing time per step.
            # TYPE phoneagent_bridge_step_duration_milliseconds histogram
            phoneagent_bridge_step_duration_milliseconds_bucket{otel_scope_name="PhoneAgent.Bridge",step="caller_frame_to_model",le="0.5"} 90 1700000000000
            phoneagent_bridge_step_duration_milliseconds_bucket{otel_scope_name="PhoneAgent.Bridge",step="caller_frame_to_model",le="1"} 99
            phoneagent_bridge_step_duration_milliseconds_bucket{otel_scope_name="PhoneAgent.Bridge",step="caller_frame_to_model",le="2"} 100
            phoneagent_bridge_step_duration_milliseconds_bucket{otel_scope_name="PhoneAgent.Bridge",step="caller_frame_to_model",le="+Inf"} 100
            phoneagent_bridge_step_duration_milliseconds_count{step="caller_frame_to_model"} 100
            phoneagent_bridge_step_duration_milliseconds_bucket{step="interrupted_to_clear",le="0.5"} 0
            phoneagent_bridge_step_duration_milliseconds_bucket{step="interrupted_to_clear",le="1"} 0
            phoneagent_bridge_step_duration_milliseconds_bucket{step="interrupted_to_clear",le="2"} 3
            phoneagent_bridge_step_duration_milliseconds_bucket{step="interrupted_to_clear",le="+Inf"} 4
            dotnet_process_cpu_time_seconds_total{cpu_mode="user"} 1.5
            dotnet_process_cpu_time_seconds_total{cpu_mode="system"} 0.5
            odd_label{path="a \"quoted\" \\ value",x="1"} NaN
            not a sample line
            """;
        var snapshot = PrometheusSnapshot.Parse(text);
        Assert.Equal(2.0, snapshot.Sum("dotnet_process_cpu_time_seconds_total"));
        Assert.Equal(("dotnet_process_cpu_time_seconds_total", 2.0), snapshot.First("process_cpu_seconds_total", "dotnet_process_cpu_time_seconds_total"));
        Assert.Equal("a \"quoted\" \\ value", snapshot.Get("odd_label").Single().Label("path"));

        var frames = snapshot.Histogram("phoneagent_bridge_step_duration_milliseconds", s => s.Label("step") == "caller_frame_to_model");
        Assert.Equal(100, frames.Total);
        Assert.Equal(0.5 * 50 / 90, frames.Quantile(0.5), 6);     // within the first bucket, from 0
        Assert.Equal(1.0, frames.Quantile(0.99), 6);             // rank 99 ends the (0.5, 1] bucket
        Assert.Equal(1.5, frames.Quantile(0.995), 6);            // half-way into (1, 2]
        Assert.Equal(0.99, frames.FractionAtOrBelow(1), 6);
        Assert.Equal(0.9, frames.FractionAtOrBelow(0.5), 6);

        var clear = snapshot.Histogram("phoneagent_bridge_step_duration_milliseconds", s => s.Label("step") == "interrupted_to_clear");
        Assert.Equal(2.0, clear.Quantile(0.99));                 // in +Inf: the largest finite bound, as PromQL
        Assert.Equal(0.75, clear.FractionAtOrBelow(2));

        var earlier = new HistogramBuckets([(0.5, 80), (1, 89), (2, 90), (double.PositiveInfinity, 90)]);
        var during = frames.Minus(earlier);
        Assert.Equal(10, during.Total);
        Assert.Equal(10, during.Cumulative[0].Count);
        Assert.True(double.IsNaN(new HistogramBuckets([]).Quantile(0.5)));
    }

    [Fact]
    public void A_level_whose_generator_lateness_p99_is_over_the_limit_is_invalid_never_a_server_failure()
    {
        var failing = new CallCounts { Started = 10, Completed = 7, Failed = 3 };
        var underruns = new UnderrunSection { Count = 2, Over20Ms = 2, MaxMs = 80 };

        var invalid = LoadReport.Judge(failing, underruns, new FrameSection(), Generator(p99: 6.2), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Invalid, invalid.Status);
        Assert.Single(invalid.Reasons);
        Assert.Contains("generator-limited", invalid.Reasons[0], StringComparison.Ordinal);
        Assert.DoesNotContain(invalid.Reasons, r => r.Contains("failed calls", StringComparison.Ordinal));

        var fail = LoadReport.Judge(failing, underruns, new FrameSection(), Generator(p99: 4.9), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Fail, fail.Status);
        Assert.Contains(fail.Reasons, r => r.StartsWith("failed calls", StringComparison.Ordinal));
        Assert.Contains(fail.Reasons, r => r.StartsWith("underruns over 20 ms", StringComparison.Ordinal));

        var clean = new CallCounts { Started = 10, Completed = 10 };
        var pass = LoadReport.Judge(clean, new UnderrunSection(), new FrameSection { ServerToCallerLost = 0 }, Generator(p99: 5.0), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Pass, pass.Status);
        Assert.Contains(pass.Checks, c => c.Name == "interrupted_to_clear p99" && c.Ok is null); // no /metrics: not available, not failed

        var slowStep = new ServerMetricsSummary
        {
            Available = true,
            Url = "x",
            Steps = new Dictionary<string, StepStats> { ["model_chunk_to_twilio"] = new() { Count = 100, P99 = 1.4, AtOrBelow1Ms = 0.97, AtOrBelow2Ms = 1 } },
        };
        var server = LoadReport.Judge(clean, new UnderrunSection(), new FrameSection(), Generator(p99: 1), slowStep, Latency());
        Assert.Equal(VerdictStatus.Fail, server.Status);
        Assert.Contains(server.Reasons, r => r.StartsWith("model_chunk_to_twilio p99", StringComparison.Ordinal));

        var lost = LoadReport.Judge(clean, new UnderrunSection(), new FrameSection { ServerToCallerLost = 2 }, Generator(p99: 1), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Fail, lost.Status);
    }

    [Fact]
    public void Underruns_that_came_while_the_generator_stalled_make_a_level_invalid_never_a_pass()
    {
        var clean = new CallCounts { Started = 10, Completed = 10 };
        var frames = new FrameSection { ServerToCallerLost = 0 };
        var stalledOnly = new UnderrunSection { Count = 3, Over20Ms = 1, Over20MsDuringGeneratorStalls = 1, MaxMs = 60 };

        var invalid = LoadReport.Judge(clean, stalledOnly, frames, Generator(p99: 3), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Invalid, invalid.Status);
        Assert.Contains("generator-limited", Assert.Single(invalid.Reasons), StringComparison.Ordinal);
        Assert.Contains(invalid.Checks, c => c.Name == "underruns over 20 ms" && c.Ok == true && c.Value.Contains("1 more while the generator stalled", StringComparison.Ordinal));

        // One the generator cannot explain is the server's: FAIL.
        var held = LoadReport.Judge(clean, stalledOnly with { Over20Ms = 2 }, frames, Generator(p99: 3), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Fail, held.Status);
        Assert.StartsWith("underruns over 20 ms: 1 ", Assert.Single(held.Reasons), StringComparison.Ordinal);

        // So is any other broken rule, stall or not.
        var failedCall = LoadReport.Judge(clean with { Completed = 9, Failed = 1 }, stalledOnly, frames, Generator(p99: 3), Metrics(), Latency());
        Assert.Equal(VerdictStatus.Fail, failedCall.Status);
    }

    private static GeneratorSection Generator(double p99) => new()
    {
        LatenessMs = new LatencyStats { Count = 1000, P50 = 0.2, P99 = p99, Max = p99 + 1 },
        LatenessLimitMs = 5,
        Invalid = p99 > 5,
    };

    private static ServerMetricsSummary Metrics() => new() { Available = false, Url = "x", Error = "HTTP 404" };

    private static LatencySection Latency() => new()
    {
        SetupMs = LatencyStats.Empty,
        ResponseMs = LatencyStats.Empty,
        BargeInMs = LatencyStats.Empty,
        UnderrunMs = LatencyStats.Empty,
    };
}
