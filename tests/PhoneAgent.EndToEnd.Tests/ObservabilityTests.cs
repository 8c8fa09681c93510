using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PhoneAgent.EndToEnd.Tests.Testing;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>What operators watch: the Grafana dashboard's metrics, OTLP export, traces and the CallSid on log lines.</summary>
[Collection(RealTimeCalls.Name)]
public sealed partial class ObservabilityTests(ITestOutputHelper output)
{
    // The caller cuts the greeting (3.2 s clip) off at 1.45 s (barge-in: queued frames dropped), then the agent says
    // goodbye and calls end_call.
    private const string BargeInThenEndCall = """
        { "name": "barge-in-end-call", "turns": [
          { "reply": { "clip": "order-status" } },
          { "caller": "wait, bye", "reply": { "clip": "goodbye" },
            "toolCalls": [ { "name": "end_call", "args": { "reason": "caller is done" } } ] } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    // An abrupt 1011 in the middle of the second reply: the model client reconnects while the call goes on.
    private const string ModelCloses = """
        { "name": "model-closes", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "first", "reply": { "clip": "done" } },
          { "caller": "second", "reply": { "clip": "okay" } } ],
          "faults": [ { "kind": "close", "at": "midReply", "turn": 2, "code": 1011 } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    [Fact]
    public async Task Every_metric_the_Grafana_dashboard_queries_is_in_a_scrape_of_real_calls()
    {
        // Instance A: barge-in and a tool call.
        string scrapeA;
        await using (var a = await EndToEndCall.StartAsync(BargeInThenEndCall))
        {
            var result = await a.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(8), (1.45, 2.25, "wait, bye")), o => o with { HangupAfter = null });
            output.WriteLine($"A: {result.EndReason}; verbs: {string.Join(", ", result.Verbs)}");
            scrapeA = await ScrapeAsync(a);
        }

        // Instance B, one call at a time: a model reconnect, and a second call refused while the first runs.
        await using var b = await EndToEndCall.StartAsync(ModelCloses, new Dictionary<string, string?> { ["Bridge:MaxConcurrentCalls"] = "1" });
        var call = b.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(6), (1.2, 1.9, "first"), (4.2, 4.9, "second")));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var during = await ScrapeAsync(b);
        var refused = await b.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(1), (0.3, 0.6, "hello")));
        var resultB = await call;
        output.WriteLine($"B: {resultB.EndReason}; refused call: {string.Join(", ", refused.Verbs)}");
        var after = await ScrapeAsync(b);

        Assert.Matches(new Regex(@"^phoneagent_instance_calls_in_flight(\{[^}]*\})? 1$", RegexOptions.Multiline), during);
        var scraped = MetricName().Matches(scrapeA + during + after).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var queried = DashboardMetricNames();
        output.WriteLine($"dashboard queries {queried.Count} metrics: {string.Join(", ", queried)}");
        Assert.True(queried.Count >= 8, $"the dashboard names only {queried.Count} metrics");
        Assert.All(queried, name => Assert.True(scraped.Contains(name), $"{name} is queried by the dashboard but not in /metrics"));
    }

    private static async Task<string> ScrapeAsync(EndToEndCall e2e)
    {
        using var http = new HttpClient { BaseAddress = e2e.Server.Address };
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_traces_and_metrics_are_exported_and_every_line_of_a_call_names_its_CallSid()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        var logs = new ScopeCapturingLoggerProvider();
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        // The host reads OTEL_* from the environment at build time, as a container does.
        foreach (var (key, value) in environment)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        EndToEndCall e2e;
        try
        {
            e2e = await EndToEndCall.StartAsync(BargeInThenEndCall, services: s => s.AddSingleton<ILoggerProvider>(logs));
        }
        finally
        {
            foreach (var key in environment.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }

        await using (e2e)
        {
            var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(8), (1.45, 2.25, "wait, bye")), o => o with { HangupAfter = null });
            output.WriteLine($"call {result.CallSid}: {result.EndReason}");

            // Spans: the webhook and the media stream (ASP.NET Core), the end_call tool (ours), tagged with the CallSid.
            // Each span comes in whichever export batch follows its end: the media stream's ends with the socket.
            await collector.WaitForAsync("/v1/traces", "tool end_call");
            await collector.WaitForAsync("/v1/traces", "/twilio/voice");
            await collector.WaitForAsync("/v1/traces", "/twilio/media");
            var traces = collector.Bodies("/v1/traces");
            Assert.Contains("/twilio/voice", traces, StringComparison.Ordinal);
            Assert.Contains("/twilio/media", traces, StringComparison.Ordinal);
            Assert.Contains(result.CallSid, traces, StringComparison.Ordinal);
            await collector.WaitForAsync("/v1/metrics", "phoneagent.bridge.calls.ended");

            // Every log line that names the call runs in its CallSid scope, and the bridge's lines all do.
            var entries = logs.Entries.ToArray();
            var ofCall = entries.Where(e => e.Message.Contains(result.CallSid, StringComparison.Ordinal) || e.Category.StartsWith("PhoneAgent.Bridge.CallSession", StringComparison.Ordinal)).ToArray();
            output.WriteLine($"{ofCall.Length} of {entries.Length} log lines belong to the call");
            Assert.True(ofCall.Length >= 5);
            Assert.All(ofCall, e => Assert.True(
                e.Scope.TryGetValue("CallSid", out var sid) && Equals(sid, result.CallSid),
                $"[{e.Category}] {e.Message} has no CallSid scope"));
            Assert.DoesNotContain(entries, e => e.Message.Contains(CallReplay.CallReplayDefaults.DevelopmentAuthToken, StringComparison.Ordinal));
        }
    }

    private static SortedSet<string> DashboardMetricNames()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PhoneAgent.sln")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.FullName, "infra/grafana/dashboards/phoneagent.json")));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                foreach (Match match in DashboardMetric().Matches(target.GetProperty("expr").GetString()!))
                {
                    names.Add(match.Value);
                }
            }
        }

        return names;
    }

    [GeneratedRegex(@"^(phoneagent_[a-z0-9_]+)[{ ]", RegexOptions.Multiline)]
    private static partial Regex MetricName();

    [GeneratedRegex(@"phoneagent_[a-z0-9_]+")]
    private static partial Regex DashboardMetric();

    /// <summary>An OTLP/HTTP receiver on 127.0.0.1:0 that keeps every request body by path.</summary>
    private sealed class FakeOtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

        private FakeOtlpCollector(WebApplication app) => _app = app;

        public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        public static async Task<FakeOtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var collector = new FakeOtlpCollector(app);
            app.MapPost("/v1/{signal}", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                collector._received.Enqueue((request.Path.Value!, body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        /// <summary>The bodies posted to <paramref name="path"/>, as Latin-1 text (protobuf keeps strings as UTF-8 bytes).</summary>
        public string Bodies(string path) => string.Concat(_received.Where(r => r.Path == path).Select(r => Encoding.Latin1.GetString(r.Body)));

        public async Task WaitForAsync(string path, string text)
        {
            for (var i = 0; i < 100 && !Bodies(path).Contains(text, StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
            }

            Assert.Contains(text, Bodies(path), StringComparison.Ordinal);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
