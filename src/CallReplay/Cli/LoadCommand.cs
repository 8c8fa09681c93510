using System.CommandLine;
using System.Globalization;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Load;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Cli;

/// <summary><c>CallReplay load URL --recordings DIR</c>: many concurrent calls from recordings, a live view, and a report.</summary>
internal static class LoadCommand
{
    /// <summary>Exit codes: 0 PASS, 1 FAIL, 2 bad arguments, 3 INVALID (generator-limited), 130 interrupted.</summary>
    public const int Invalid = 3;

    public const int Interrupted = 130;

    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The PhoneAgent to load: its base URL (http://127.0.0.1:5050; the voice webhook /twilio/voice is appended) or the full voice webhook URL." };
        var recordings = new Option<string>("--recordings", "-r")
        {
            Description = "A folder of caller recordings (or one file): WAV at any rate, raw 8 kHz mu-law (.ulaw/.mulaw/.raw), or Twilio dual-channel WAV (see --caller-channel); each with its NAME.json transcript when present. Call n replays recording n mod count.",
            Required = true,
        };
        var callerChannel = new Option<int>("--caller-channel") { Description = "Which channel of a multi-channel WAV is the caller.", DefaultValueFactory = _ => 0 };
        var calls = new Option<int>("--calls", "-c") { Description = "Concurrent calls (with --rate: the most in flight, 0 = no cap).", DefaultValueFactory = _ => 1 };
        var ramp = new Option<TimeSpan?>("--ramp") { Description = "Over how long the concurrent calls start (default: 50 ms per call, 1 s to 30 s).", CustomParser = r => DurationParser.Parse(r) };
        var duration = new Option<TimeSpan?>("--duration", "-d") { Description = "Hold: keep starting calls (as others end) for this long after the ramp, e.g. 30s or 5m. Without it and --total, each of the --calls places one call.", CustomParser = r => DurationParser.Parse(r) };
        var total = new Option<int?>("--total") { Description = "Start this many calls in all." };
        var rate = new Option<double?>("--rate") { Description = "Start calls at this rate (calls per second) on an absolute schedule instead of keeping --calls in flight; needs --duration or --total." };
        var drain = new Option<TimeSpan>("--drain") { Description = "After the last start, how long calls in flight may run before they are cut.", DefaultValueFactory = _ => TimeSpan.FromSeconds(90), CustomParser = DurationParser.Parse };
        var report = new Option<string>("--report") { Description = "Folder for the report: load-report.json, load-report.html, svg/, timelines/.", DefaultValueFactory = _ => "load-report" };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "The server's Prometheus metrics (bridge step histograms, CPU, memory), or 'none'. Default: URL + /metrics. Reported as not available when it does not answer." };
        var metricsInterval = new Option<TimeSpan>("--metrics-interval") { Description = "How often the metrics are scraped.", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = DurationParser.Parse };
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id: its CPU and memory (with its children) are read from /proc for the CPU split." };
        var emulatorPid = new Option<int?>("--emulator-pid") { Description = "The standalone Gemini Live emulator's process id, for its CPU and memory." };
        var latenessLimit = new Option<TimeSpan>("--lateness-limit") { Description = "Generator send lateness p99 above which the run is INVALID (generator-limited, not a server failure).", DefaultValueFactory = _ => TimeSpan.FromMilliseconds(5), CustomParser = DurationParser.Parse };
        var slowest = new Option<int>("--slowest") { Description = "How many of the slowest calls keep their timeline (timelines/*.jsonl, linked from the HTML).", DefaultValueFactory = _ => 10 };
        var publicUrl = new Option<string?>("--public-url") { Description = "The voice URL as Twilio would request it (PhoneAgent:PublicBaseUrl); signatures cover it. Default: URL itself." };
        var authToken = new Option<string>("--auth-token") { Description = "Auth token for X-Twilio-Signature.", DefaultValueFactory = _ => CallReplayDefaults.DevelopmentAuthToken };
        var accountSid = new Option<string>("--account-sid") { Description = "The account the calls belong to.", DefaultValueFactory = _ => CallReplayDefaults.DevelopmentAccountSid };
        var hangupAfter = new Option<TimeSpan?>("--hangup-after") { Description = "Each caller hangs up this long after its recording has ended and the agent has gone quiet ('never': the server ends calls).", DefaultValueFactory = _ => TimeSpan.FromSeconds(3), CustomParser = DurationParser.ParseOrNever };
        var maxCallDuration = new Option<TimeSpan>("--max-call-duration") { Description = "A call still running after this long fails.", DefaultValueFactory = _ => TimeSpan.FromMinutes(5), CustomParser = DurationParser.Parse };
        var apiPort = new Option<int>("--api-port") { Description = "Port of the fake Twilio REST API (the server's Twilio:ApiBaseUrl). 0 picks a free port.", DefaultValueFactory = _ => 0 };
        var noApi = new Option<bool>("--no-api") { Description = "Do not host the fake Twilio REST API." };
        var noWarmUp = new Option<bool>("--no-warm-up") { Description = "Skip the throw-away warm-up calls (3 s of the first recording; a tenth of --calls at once, 1 to 20) placed before the run so neither the generator's nor the server's JIT makes the first calls' frames late." };
        var plain = new Option<bool>("--plain") { Description = "Plain progress lines even on a terminal (the default when output is redirected)." };
        var progressInterval = new Option<TimeSpan>("--progress-interval") { Description = "How often a plain progress line is printed.", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = DurationParser.Parse };

        var command = new Command("load", "Load a PhoneAgent with many concurrent calls replayed from recordings, on real-time pace; watch it live and write a report (JSON, self-contained HTML with SVG plots). Exit code: 0 PASS, 1 FAIL, 3 INVALID (the generator was the limit), 130 interrupted (the report is still written).")
        {
            url, recordings, callerChannel, calls, ramp, duration, total, rate, drain, report, metricsUrl, metricsInterval, serverPid, emulatorPid,
            latenessLimit, slowest, publicUrl, authToken, accountSid, hangupAfter, maxCallDuration, apiPort, noApi, noWarmUp, plain, progressInterval,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync("URL must be an absolute http(s) URL.");
                return 2;
            }

            var webhook = target.AbsolutePath is "" or "/" ? FakeTwilioCallerOptions.Combine(target, CallReplayDefaults.VoicePath) : target;
            var path = webhook.AbsolutePath;
            var basePath = path.EndsWith(CallReplayDefaults.VoicePath, StringComparison.Ordinal) ? path[..^CallReplayDefaults.VoicePath.Length] : "";
            var baseUrl = new Uri(webhook.GetLeftPart(UriPartial.Authority) + basePath + "/");
            Uri? publicWebhook = null;
            if (parse.GetValue(publicUrl) is { } p)
            {
                if (!Uri.TryCreate(p, UriKind.Absolute, out var given))
                {
                    await error.WriteLineAsync("--public-url must be an absolute URL.");
                    return 2;
                }

                publicWebhook = given.AbsolutePath is "" or "/" ? FakeTwilioCallerOptions.Combine(given, webhook.AbsolutePath) : given;
            }

            Uri? metrics;
            switch (parse.GetValue(metricsUrl))
            {
                case "none":
                    metrics = null;
                    break;
                case { } m when Uri.TryCreate(m, UriKind.Absolute, out var parsed):
                    metrics = parsed;
                    break;
                case null:
                    metrics = FakeTwilioCallerOptions.Combine(baseUrl, "/metrics");
                    break;
                default:
                    await error.WriteLineAsync("--metrics-url must be an absolute URL or 'none'.");
                    return 2;
            }

            IReadOnlyList<RecordedCall> callers;
            try
            {
                callers = RecordingSet.Load(parse.GetValue(recordings)!, parse.GetValue(callerChannel));
            }
            catch (InvalidDataException e)
            {
                await error.WriteLineAsync(e.Message);
                return 2;
            }

            var publicBase = publicWebhook is null ? null : new Uri(publicWebhook.GetLeftPart(UriPartial.Authority));
            var caller = new FakeTwilioCallerOptions
            {
                WebhookUrl = webhook,
                PublicUrl = publicWebhook,
                AuthToken = parse.GetValue(authToken)!,
                AccountSid = parse.GetValue(accountSid)!,
                CallStatusUrl = FakeTwilioCallerOptions.Combine(publicBase ?? baseUrl, CallReplayDefaults.CallStatusPath),
                HangupAfter = parse.GetValue(hangupAfter),
                MaxDuration = parse.GetValue(maxCallDuration),
            };
            var options = new LoadOptions
            {
                Caller = caller,
                Calls = parse.GetValue(calls),
                Ramp = parse.GetValue(ramp),
                Hold = parse.GetValue(duration),
                Total = parse.GetValue(total),
                Rate = parse.GetValue(rate),
                Drain = parse.GetValue(drain),
                MetricsUrl = metrics,
                MetricsInterval = parse.GetValue(metricsInterval),
                ServerPid = parse.GetValue(serverPid),
                EmulatorPid = parse.GetValue(emulatorPid),
                MaxGeneratorLateness = parse.GetValue(latenessLimit),
                SlowestTimelines = parse.GetValue(slowest),
                WarmUp = !parse.GetValue(noWarmUp),
            };
            if (options.Validate() is { } problem)
            {
                await error.WriteLineAsync(problem);
                return 2;
            }

            await using var api = parse.GetValue(noApi) ? null : await FakeTwilioApi.StartAsync(new FakeTwilioApiOptions
            {
                AccountSid = caller.AccountSid,
                AuthToken = caller.AuthToken,
                Port = parse.GetValue(apiPort),
            }, cancellationToken);

            var folder = Path.GetFullPath(parse.GetValue(report)!);
            await output.WriteLineAsync($"CallReplay load: {options.Describe()} against {webhook}");
            await output.WriteLineAsync($"recordings: {string.Join(", ", callers.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} ({c.Duration.TotalSeconds:0.0} s, {c.Utterances.Count} utterances)")))}");
            await output.WriteLineAsync($"metrics: {(metrics is null ? "off" : metrics.ToString())}; server pid: {options.ServerPid?.ToString(CultureInfo.InvariantCulture) ?? "-"}; emulator pid: {options.EmulatorPid?.ToString(CultureInfo.InvariantCulture) ?? "-"}{(api is null ? "" : $"; fake Twilio REST API at {api.BaseUrl}")}");
            await output.WriteLineAsync($"report: {folder}");

            var runner = new LoadRunner(options, callers, api);
            var run = runner.RunAsync(cancellationToken);
            await LoadLiveView.ShowAsync(runner, run, output, LoadLiveView.IsInteractive && !parse.GetValue(plain), parse.GetValue(progressInterval));
            var result = await run;

            var commandLine = "CallReplay " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
            var built = LoadReport.Build(result, webhook.ToString(), commandLine);
            var (jsonPath, htmlPath) = LoadReportWriter.Write(built, result, folder);
            await output.WriteLineAsync(Summary(built));
            await output.WriteLineAsync($"report: {htmlPath}");
            await output.WriteLineAsync($"        {jsonPath}");
            return result.Interrupted ? Interrupted
                : built.Verdict.Status switch
                {
                    VerdictStatus.Pass => 0,
                    VerdictStatus.Invalid => Invalid,
                    _ => 1,
                };
        });
        return command;
    }

    /// <summary>The report's headline, for the terminal.</summary>
    internal static string Summary(LoadReport r)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(ci, $"{r.Verdict.Status}{(r.Interrupted ? " (interrupted)" : "")}: {r.Calls.Started} calls, {r.Calls.Completed} completed, {r.Calls.Failed} failed, {r.Calls.Canceled + r.Calls.Cut} canceled; most in flight {r.Calls.MaxInFlight}"),
            string.Create(ci, $"  set-up   p50 {r.Latency.SetupMs.P50:0} ms  p95 {r.Latency.SetupMs.P95:0} ms  p99 {r.Latency.SetupMs.P99:0} ms  ({r.Latency.SetupMs.Count})"),
            string.Create(ci, $"  response p50 {r.Latency.ResponseMs.P50:0} ms  p95 {r.Latency.ResponseMs.P95:0} ms  p99 {r.Latency.ResponseMs.P99:0} ms  ({r.Latency.ResponseMs.Count})"),
            string.Create(ci, $"  barge-in p50 {r.Latency.BargeInMs.P50:0} ms  p95 {r.Latency.BargeInMs.P95:0} ms  ({r.Latency.BargeInMs.Count}); underruns {r.Underruns.Count} ({r.Underruns.Over20Ms} over 20 ms{(r.Underruns.Over20MsDuringGeneratorStalls > 0 ? $", {r.Underruns.Over20MsDuringGeneratorStalls} of them while the generator stalled" : "")})"),
            string.Create(ci, $"  generator lateness p99 {r.Generator.LatenessMs.P99:0.00} ms (limit {r.Generator.LatenessLimitMs:0.#}); CPU cores: server {Cores(r.Server.CpuCores)}, emulator {Cores(r.Emulator.CpuCores)}, generator {Cores(r.Generator.CpuCores)}"),
            $"  server metrics: {(!r.ServerMetrics.Available ? $"not available ({r.ServerMetrics.Error})" : r.ServerMetrics.Steps.Count == 0 ? "no bridge step observed" : string.Join(", ", r.ServerMetrics.Steps.Select(s => string.Create(ci, $"{s.Key} p99 {s.Value.P99:0.###} ms"))))}",
        };
        lines.AddRange(r.Verdict.Reasons.Select(reason => $"  - {reason}"));
        lines.AddRange(r.Calls.FailureReasons.Select(f => string.Create(ci, $"  failed: {f.Value} x {f.Key}")));
        return string.Join(Environment.NewLine, lines);

        static string Cores(double? c) => c is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
    }
}
