using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Load;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Tests.Testing;

namespace PhoneAgent.CallReplay.Tests.Load;

/// <summary>The load tool against <see cref="ScriptedAgent"/>, whose timings are known.</summary>
[Collection(RealTimeGroup.Name)]
public sealed class LoadRunnerTests : IDisposable
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan ReplyLatency = TimeSpan.FromMilliseconds(300);
    private readonly string _folder = Directory.CreateTempSubdirectory("callreplay-load-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Two utterances: the first answered after the silence + the reply latency; the second starts over that answer
    /// (a barge-in: the agent clears) and is answered in two halves with a 100 ms gap (an underrun).
    /// </summary>
    private static RecordedCall Scripted(string name = "scripted.ulaw", int totalMs = 5000) => RecordedCall.FromMuLaw(
        name,
        Audio.Bursts(totalMs, 440, (200, 1000), (2300, 2900)),
        [new Utterance(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000), "one"), new Utterance(TimeSpan.FromMilliseconds(2300), TimeSpan.FromMilliseconds(2900), "two")]);

    private static LoadOptions Options(ScriptedAgent agent) => new()
    {
        Caller = FakeTwilioCallerOptions.ForPhoneAgent(agent.Server.BaseUrl) with
        {
            HangupAfter = TimeSpan.FromMilliseconds(300),
            MaxDuration = TimeSpan.FromSeconds(30),
        },
        Calls = 2,
        Ramp = TimeSpan.FromMilliseconds(200),
        MetricsUrl = new Uri(agent.Server.BaseUrl, "/metrics"),
        MetricsInterval = TimeSpan.FromSeconds(1),
        SampleInterval = TimeSpan.FromMilliseconds(250),
    };

    [Fact]
    public async Task Response_latency_is_the_silence_plus_the_reply_latency_within_40_ms()
    {
        await using var agent = await ScriptedAgent.StartAsync(Silence, ReplyLatency);
        var warmUp = RecordedCall.FromMuLaw("warm-up.ulaw", Audio.Bursts(600, 440, (100, 300)));
        await new LoadRunner(Options(agent) with { Calls = 1, WarmUp = false, MetricsUrl = null }, [warmUp]).RunAsync(); // a shorter warm-up than the built-in one

        var run = await new LoadRunner(Options(agent) with { WarmUp = false }, [Scripted()]).RunAsync();
        var report = LoadReport.Build(run, agent.Server.BaseUrl.ToString());

        Assert.Equal(2, report.Calls.Started);
        Assert.Equal(2, report.Calls.Completed);
        Assert.Equal(0, report.Calls.Failed);
        // Each answer is heard the silence + the reply latency after the caller stopped, plus whatever the agent itself
        // was late by (nothing on a quiet machine; a loaded one reads frames and fires timers late, and the caller hears it).
        var expected = (Silence + ReplyLatency).TotalMilliseconds;
        Assert.All(run.Calls, c => Assert.Equal(2, c.Responses.Count));
        Assert.All(run.Calls, c => Assert.All(c.Responses.Select((r, i) => (r.Ms, Late: agent.Late(c.CallSid, $"reply{i + 1}"))),
            r => Assert.InRange(r.Ms, expected + r.Late - 40, expected + r.Late + 40)));
        var mostLate = run.Calls.Max(c => Math.Max(agent.Late(c.CallSid, "reply1"), agent.Late(c.CallSid, "reply2")));
        Assert.InRange(report.Latency.ResponseMs.P50, expected - 40, expected + mostLate + 40);

        // The second utterance talks over the first answer: the agent clears within a frame or two.
        Assert.All(run.Calls, c => Assert.InRange(Assert.Single(c.BargeInMs), 0, 80 + agent.Late(c.CallSid, "clear")));
        Assert.Equal(0, report.Calls.BargeInsIgnored);

        // The second answer's halves leave a 100 ms hole.
        Assert.All(run.Calls, c => Assert.InRange(Assert.Single(c.UnderrunMs), 80, 160 + agent.Late(c.CallSid, "gap")));
        Assert.Equal(2, report.Underruns.Over20Ms);
        Assert.All(run.Calls, c =>
        {
            var gap = Assert.Single(c.LongUnderruns);
            Assert.Equal(c.UnderrunMs[0], gap.Ms);
            Assert.InRange(gap.AtMs, c.StartMs + expected, c.StartMs + c.DurationMs); // in the second answer
            Assert.False(gap.DuringGeneratorStall, $"the generator was {gap.GeneratorLateMs:0.#} ms late then");
        });
        Assert.NotEqual(VerdictStatus.Pass, report.Verdict.Status);
        Assert.Contains(report.Verdict.Checks, c => c.Name == "underruns over 20 ms" && c.Ok == false);

        // Every frame the marks announced arrived; the caller's frames were all sent.
        Assert.All(run.Calls, c => Assert.Equal(0, c.FramesLostToCaller));
        Assert.All(run.Calls, c => Assert.InRange(c.FramesSent, 250, 300));
        Assert.True(report.Generator.LatenessMs.Count >= 500);

        // No /metrics on this server: reported, not fatal.
        Assert.False(report.ServerMetrics.Available);
        Assert.Contains("404", report.ServerMetrics.Error, StringComparison.Ordinal);
        Assert.Contains(report.Verdict.Checks, c => c.Name == "caller_frame_to_model p99" && c.Ok is null && c.Value == "not available");
    }

    [Fact]
    public async Task An_interrupted_run_cancels_its_calls_and_still_writes_the_whole_report()
    {
        await using var agent = await ScriptedAgent.StartAsync(Silence, ReplyLatency);
        var options = Options(agent) with { Calls = 3, Hold = TimeSpan.FromMinutes(1), WarmUp = false };
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(2.5));
        var watch = Stopwatch.StartNew();

        var run = await new LoadRunner(options, [Scripted(totalMs: 20_000)]).RunAsync(interrupt.Token);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the run took {watch.Elapsed} to stop");
        Assert.True(run.Interrupted);
        Assert.Equal(3, run.Calls.Count);
        Assert.All(run.Calls, c => Assert.Equal(LoadCallStatus.Canceled, c.Status));

        var report = LoadReport.Build(run, agent.Server.BaseUrl.ToString(), "CallReplay load test");
        var (json, html) = LoadReportWriter.Write(report, run, _folder);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = document.RootElement;
        Assert.True(root.GetProperty("interrupted").GetBoolean());
        Assert.Equal(3, root.GetProperty("calls").GetProperty("started").GetInt32());
        Assert.Equal(3, root.GetProperty("calls").GetProperty("canceled").GetInt32());
        Assert.Equal(3, root.GetProperty("perCall").GetArrayLength());
        Assert.True(root.GetProperty("latency").GetProperty("responseMs").TryGetProperty("p95", out _));
        var charts = root.GetProperty("charts").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.True(charts.Count >= 14, string.Join(", ", charts));
        foreach (var chart in charts)
        {
            var svg = await File.ReadAllTextAsync(Path.Combine(_folder, chart));
            Assert.StartsWith("<svg xmlns=", svg, StringComparison.Ordinal);
            Assert.EndsWith("</svg>\n", svg, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(html));
        AssertSelfContained(await File.ReadAllTextAsync(html));
    }

    [Fact]
    public async Task The_load_command_runs_calls_from_a_folder_and_writes_the_report()
    {
        await using var agent = await ScriptedAgent.StartAsync(Silence, ReplyLatency);
        var recordings = Directory.CreateDirectory(Path.Combine(_folder, "recordings")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(recordings, "caller.ulaw"), Audio.Bursts(3500, 440, (1000, 1800)));
        await File.WriteAllTextAsync(Path.Combine(recordings, "caller.json"), """{ "utterances": [ { "startMs": 1000, "endMs": 1800, "text": "hello" } ] }""");
        var reportFolder = Path.Combine(_folder, "report");

        var exit = await Program.Main(["load", agent.Server.BaseUrl.ToString(), "--recordings", recordings, "--calls", "2", "--ramp", "200ms",
            "--report", reportFolder, "--plain", "--hangup-after", "300ms", "--no-api", "--no-warm-up", "--metrics-interval", "1s", "--progress-interval", "1s"]);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reportFolder, LoadReportWriter.JsonFile)));
        var root = document.RootElement;
        var verdict = root.GetProperty("verdict").GetProperty("status").GetString();
        Assert.Equal(verdict switch { VerdictStatus.Pass => 0, VerdictStatus.Invalid => 3, _ => 1 }, exit);
        Assert.NotEqual(VerdictStatus.Fail, verdict);
        Assert.Equal(2, root.GetProperty("calls").GetProperty("completed").GetInt32());
        Assert.Equal(0, root.GetProperty("calls").GetProperty("failed").GetInt32());
        Assert.Equal(2, root.GetProperty("latency").GetProperty("responseMs").GetProperty("count").GetInt32()); // the figure itself is the first test's
        Assert.False(root.GetProperty("serverMetrics").GetProperty("available").GetBoolean());
        Assert.True(File.Exists(Path.Combine(reportFolder, LoadReportWriter.HtmlFile)));
        Assert.True(File.Exists(Path.Combine(reportFolder, "svg", "response-cdf.svg")));
        var timelines = Directory.GetFiles(Path.Combine(reportFolder, "timelines"), "*.jsonl");
        Assert.Equal(2, timelines.Length);
        Assert.Contains(File.ReadLines(timelines[0]), l => l.Contains("\"kind\":\"latency.response\"", StringComparison.Ordinal));
        Assert.DoesNotContain(File.ReadLines(timelines[0]), l => l.Contains("\"kind\":\"mark.", StringComparison.Ordinal)); // load timelines leave marks out

        // The CI smoke check passes this report, and refuses a missing one.
        Assert.Equal(0, await Program.Main(["check-report", reportFolder, "--min-completed", "2"]));
        Assert.Equal(1, await Program.Main(["check-report", reportFolder, "--min-completed", "3"]));
        Assert.Equal(2, await Program.Main(["check-report", Path.Combine(_folder, "nowhere")]));
    }

    /// <summary>
    /// The smoke check on a real report, then on copies changed the way a bad run would change it: failed calls, lost
    /// or dropped frames and missing percentiles fail it; an INVALID or FAIL verdict (a busy machine) does not.
    /// </summary>
    [Fact]
    public async Task The_smoke_check_fails_on_failed_calls_lost_frames_and_missing_percentiles_but_not_on_an_invalid_verdict()
    {
        await using var agent = await ScriptedAgent.StartAsync(Silence, ReplyLatency);
        // Speech a second in, well after the stream is up even in a cold process (audio before the stream starts is never sent).
        var recording = RecordedCall.FromMuLaw("speech.ulaw", Audio.Bursts(3000, 440, (1000, 1500)), [new Utterance(TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1500), "hi")]);
        var run = await new LoadRunner(Options(agent) with { WarmUp = false, MetricsUrl = null }, [recording]).RunAsync();
        var (json, _) = LoadReportWriter.Write(LoadReport.Build(run, agent.Server.BaseUrl.ToString()), run, _folder);
        var good = JsonNode.Parse(await File.ReadAllTextAsync(json))!;

        var ok = LoadReportCheck.Check(Element(good), minCompleted: 2);
        Assert.True(ok.Ok, string.Join("; ", ok.Problems));
        Assert.Contains("2 completed, 0 failed", ok.Summary, StringComparison.Ordinal);

        // The changes below start from a valid run, whatever this machine's load made of the generator's lateness.
        good["generator"]!["invalid"] = false;
        good["verdict"]!["status"] = VerdictStatus.Pass;

        var invalid = Changed(good, r =>
        {
            r["verdict"]!["status"] = VerdictStatus.Invalid;
            r["verdict"]!["reasons"] = new JsonArray("generator-limited: send lateness p99 7.5 ms > 5 ms");
            r["generator"]!["latenessMs"]!["p99"] = 7.5;
            r["generator"]!["invalid"] = true;
        });
        Assert.True(invalid.Ok, string.Join("; ", invalid.Problems));
        Assert.Contains(invalid.Notes, n => n.Contains("INVALID", StringComparison.Ordinal) && n.Contains("generator", StringComparison.Ordinal));
        Assert.True(Changed(good, r => r["verdict"]!["status"] = VerdictStatus.Fail).Ok);

        AssertProblem(Changed(good, r => { r["calls"]!["failed"] = 1; r["calls"]!["failureReasons"] = new JsonObject { ["no agent audio heard"] = 1 }; }), "1 failed call(s): 1 x no agent audio heard");
        AssertProblem(Changed(good, r => r["frames"]!["serverToCallerLost"] = 3), "3 agent frame(s)");
        AssertProblem(Changed(good, r => r["frames"]!["serverToCallerLost"] = null), "not measured");
        AssertProblem(Changed(good, r => r["frames"]!["serverDrops"] = new JsonObject { ["twilio/out/queue-full"] = 2.0 }), "twilio/out/queue-full");

        // A server shedding caller frames behind a late generator (a starved machine) is noted, not failed.
        var shed = Changed(good, r =>
        {
            r["generator"]!["invalid"] = true;
            r["verdict"]!["status"] = VerdictStatus.Invalid;
            r["frames"]!["serverDrops"] = new JsonObject { ["twilio/in/reader-behind"] = 4.0 };
        });
        Assert.True(shed.Ok, string.Join("; ", shed.Problems));
        Assert.Contains(shed.Notes, n => n.Contains("twilio/in/reader-behind", StringComparison.Ordinal));
        AssertProblem(Changed(good, r => { r["generator"]!["invalid"] = true; r["frames"]!["serverToCallerLost"] = 1; }), "1 agent frame(s)");
        AssertProblem(Changed(good, r => r["frames"]!["callerToServerCountedByServer"] = r["frames"]!["callerToServerSent"]!.GetValue<long>() - 1), "caller frames lost");
        AssertProblem(Changed(good, r => r["latency"]!["responseMs"]!.AsObject().Remove("p99")), "latency.responseMs.p99 missing");
        AssertProblem(Changed(good, r => r["latency"]!["setupMs"]!["p95"] = "NaN"), "latency.setupMs.p95 missing");
        AssertProblem(Changed(good, r => r["generator"]!["latenessMs"]!["count"] = 0), "generator.latenessMs: no values");
        AssertProblem(Changed(good, r => r["interrupted"] = true), "interrupted");

        static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

        static LoadReportCheckResult Changed(JsonNode report, Action<JsonNode> change)
        {
            var copy = report.DeepClone();
            change(copy);
            return LoadReportCheck.Check(Element(copy), minCompleted: 2);
        }

        static void AssertProblem(LoadReportCheckResult result, string expected)
        {
            Assert.False(result.Ok);
            Assert.Contains(result.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Rate_mode_starts_calls_on_an_absolute_schedule()
    {
        await using var agent = await ScriptedAgent.StartAsync(Silence, ReplyLatency);
        var recording = RecordedCall.FromMuLaw("short.ulaw", Audio.Bursts(1500, 440, (100, 400)), [new Utterance(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), "hi")]);
        var options = Options(agent) with { Rate = 4, Total = 3, Calls = 0, MetricsUrl = null }; // with the warm-up: a cold process stalls the schedule

        var run = await new LoadRunner(options, [recording]).RunAsync();

        Assert.Equal(3, run.Calls.Count);
        Assert.All(run.Calls, c => Assert.Equal(LoadCallStatus.Ok, c.Status));
        var starts = run.Calls.OrderBy(c => c.Index).Select(c => c.StartMs).ToList();
        Assert.InRange(starts[1] - starts[0], 240, 400); // 1 / 4 s apart, never early
        Assert.InRange(starts[2] - starts[0], 490, 650);
        Assert.Equal(3, run.MaxInFlight);
        Assert.Null(run.ServerMetrics);
    }

    [Fact]
    public async Task Bad_load_arguments_are_refused()
    {
        var recordings = Directory.CreateDirectory(Path.Combine(_folder, "r")).FullName;
        Assert.Equal(2, await Program.Main(["load", "http://127.0.0.1:1", "--recordings", recordings]));
        await File.WriteAllBytesAsync(Path.Combine(recordings, "a.ulaw"), Audio.Silence(100));
        Assert.Equal(2, await Program.Main(["load", "http://127.0.0.1:1", "--recordings", recordings, "--rate", "2"]));
        Assert.Equal(2, await Program.Main(["load", "ftp://x", "--recordings", recordings]));
        Assert.NotEqual(0, await Program.Main(["load", "http://127.0.0.1:1", "--recordings", recordings, "--duration", "soon"]));
    }

    /// <summary>One file: no script, no stylesheet or image fetched, not even an http(s) URL in the text.</summary>
    internal static void AssertSelfContained(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/", html, StringComparison.Ordinal);
    }
}
