using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>
/// Continuity against a scripted server over real sockets: goAway hand-over, resumption, the close-code policy in
/// action, region fail-over, the Vertex token path, pre-warming.
/// </summary>
public sealed class GeminiContinuityTests
{
    private static readonly ModelSessionConfig Config = new() { SystemInstruction = "You are a phone agent.", Voice = "Aoede", Label = "CA-continuity" };

    private static string Handle(string handle) => $$$"""{"sessionResumptionUpdate": {"newHandle": "{{{handle}}}", "resumable": true}}""";

    private static string? SetupHandle(JsonNode setup) => setup["setup"]!["sessionResumption"]?["handle"]?.GetValue<string>();

    [Fact]
    public async Task GoAway_hands_over_at_the_next_resumable_handle_after_turnComplete_without_losing_caller_audio()
    {
        var goAwaySent = new TaskCompletionSource();
        var finishTurn = new TaskCompletionSource();
        var setups = new List<JsonNode>();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            setups.Add(await c.AcceptSetupAsync());
            if (c.Number == 1)
            {
                await c.SendAsync(Handle("H1"));
                await c.SendAsync("""{"goAway": {"timeLeft": "50s"}}""");
                goAwaySent.SetResult();
                await finishTurn.Task;

                // The caller's utterance is answered on the old socket; the switch waits for the turn's end.
                await c.SendGoldenAsync("server-audio-chunk-vertex.json");
                await c.SendAsync("""{"serverContent": {"turnComplete": true}}""");
                await c.SendAsync("""{"sessionResumptionUpdate": {"resumable": false}}""");
                await c.SendAsync(Handle("H2"));
            }
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);

        // Stream caller audio in real time (20 ms chunks) through the whole hand-over.
        using var streaming = new CancellationTokenSource();
        var sent = 0;
        var caller = Task.Run(async () =>
        {
            while (!streaming.IsCancellationRequested)
            {
                session.SendAudio(SessionTestExtensions.NumberedChunk(sent++));
                await Task.Delay(20);
            }
        });
        await goAwaySent.Task.WaitAsync(SessionTestExtensions.Patience);
        var goAway = await session.NextAsync<GoAway>();
        await Task.Delay(200);
        Assert.Single(server.Connections); // no switch while the model's turn is open
        finishTurn.SetResult();

        var resumed = await session.NextAsync<SessionResumed>();
        var first = server.Connections.First();
        var closed = await first.ClientClosed.WaitAsync(SessionTestExtensions.Patience);
        await Task.Delay(200);
        await streaming.CancelAsync();
        await caller;
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Last().Received.Select(SessionTestExtensions.ChunkNumber).LastOrDefault() == sent - 1);

        Assert.Equal(TimeSpan.FromSeconds(50), goAway.TimeLeft);
        Assert.Equal(ModelResumeKind.Handover, resumed.Kind);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        Assert.Equal(2, server.Connections.Count);
        Assert.Null(SetupHandle(setups[0]));
        Assert.Equal("H2", SetupHandle(setups[1]));

        // Every chunk arrived, in order, the old socket's before the new one's; the new socket first gets again what
        // the old one was sent after H2 (replay), then the rest exactly once.
        var onOld = first.Received.Select(SessionTestExtensions.ChunkNumber).OfType<int>().ToList();
        var onNew = server.Connections.Last().Received.Select(SessionTestExtensions.ChunkNumber).OfType<int>().ToList();
        var replayed = onNew.TakeWhile(n => n <= onOld[^1]).ToList();
        Assert.Equal(onOld.TakeLast(replayed.Count), replayed);
        Assert.Equal(Enumerable.Range(0, sent), onOld.Concat(onNew.Skip(replayed.Count)));
        Assert.NotEmpty(onOld);
        Assert.NotEmpty(onNew);
        Assert.Equal(0, session.Counters.InputAudioDroppedChunks);
        Assert.Equal(1, session.Counters.Handovers);
    }

    [Fact]
    public async Task GoAway_without_a_turn_boundary_switches_at_time_left_minus_the_margin()
    {
        var goAwaySent = DateTime.MaxValue;
        var secondConnected = DateTime.MinValue;
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 2)
            {
                secondConnected = DateTime.UtcNow;
            }

            await c.AcceptSetupAsync();
            if (c.Number == 1)
            {
                await c.SendAsync(Handle("H1"));
                goAwaySent = DateTime.UtcNow;
                await c.SendAsync("""{"goAway": {"timeLeft": "1.500s"}}""");
            }
        });
        await using var host = GeminiTestHost.Create(server.Uri, new Dictionary<string, string?> { ["Gemini:GoAwayMargin"] = "00:00:01" });
        await using var session = host.Client.Open(Config);

        var goAway = await session.NextAsync<GoAway>();
        var resumed = await session.NextAsync<SessionResumed>();

        // The switch is due 1.5 s - 1 s = 0.5 s after the goAway (no turn boundary came).
        Assert.Equal(TimeSpan.FromMilliseconds(1500), goAway.TimeLeft);
        Assert.InRange(secondConnected - goAwaySent, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(3));
        Assert.Equal(ModelResumeKind.Handover, resumed.Kind);
        Assert.Equal("H1", SetupHandle(server.Connections.Last().Received.First()));
    }

    [Fact]
    public async Task A_resume_refused_while_the_old_socket_is_open_closes_the_old_one_and_retries_the_same_handle()
    {
        var connectionsWhenOldClosed = 0;
        ScriptedGeminiServer? serverRef = null;
        await using var server = serverRef = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 2)
            {
                var refused = await c.ReceiveAsync();
                Assert.Equal("H1", SetupHandle(refused));
                await c.CloseAsync(1007, "Request contains an invalid argument.");
                return;
            }

            await c.AcceptSetupAsync();
            if (c.Number == 1)
            {
                await c.SendAsync(Handle("H1"));
                await c.SendAsync("""{"goAway": {"timeLeft": "0s"}}""");
                await c.ClientClosed;
                connectionsWhenOldClosed = serverRef!.Connections.Count;
            }
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var resumed = await session.NextAsync<SessionResumed>();

        Assert.Equal(ModelResumeKind.Handover, resumed.Kind);
        Assert.Equal(3, server.Connections.Count);
        Assert.Equal(2, connectionsWhenOldClosed);
        Assert.Equal("H1", SetupHandle(server.Connections.Last().Received.First()));
        Assert.Contains(host.Log, e => e.Message.Contains("'Request contains an invalid argument.'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_an_abrupt_1011_the_session_resumes_with_the_newest_resumable_handle()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            if (c.Number == 1)
            {
                await c.SendAsync(Handle("H1"));
                await c.SendAsync("""{"sessionResumptionUpdate": {"resumable": false}}""");
                await c.SendAsync("""{"sessionResumptionUpdate": {"newHandle": "H-not-resumable", "resumable": false}}""");
                await c.SendAsync("""{"toolCall": {"functionCalls": [{"name": "lookup_order", "args": {}, "id": "fc_1"}]}}""");
                await c.CloseAsync(1011, "Internal error occurred.");
            }
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        await session.NextAsync<ToolCallRequested>();
        var reconnecting = await session.NextAsync<Reconnecting>();
        var cancelled = await session.NextAsync<ToolCallCancelled>();
        var resumed = await session.NextAsync<SessionResumed>();

        Assert.Equal((ModelReconnectCause.ClosedByProvider, 1011, "Internal error occurred."), (reconnecting.Cause, reconnecting.CloseCode, reconnecting.CloseReason));
        Assert.Equal(["fc_1"], cancelled.CallIds);
        Assert.Equal(ToolCancelReason.ConnectionLost, cancelled.Reason);
        Assert.Equal(ModelResumeKind.Resumed, resumed.Kind);
        Assert.Equal("H1", SetupHandle(server.Connections.Last().Received.First()));
        Assert.Contains(host.Log, e => e.Message.Contains("close 1011 'Internal error occurred.'", StringComparison.Ordinal));
        Assert.Equal(1, session.Counters.Reconnects);
    }

    [Fact]
    public async Task Transport_loss_without_a_close_frame_resumes_too()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            if (c.Number == 1)
            {
                await c.SendAsync(Handle("H1"));
                await Task.Delay(50);
                c.Abort();
            }
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var reconnecting = await session.NextAsync<Reconnecting>();
        var resumed = await session.NextAsync<SessionResumed>();

        Assert.Equal(ModelReconnectCause.TransportLost, reconnecting.Cause);
        Assert.Equal(ModelResumeKind.Resumed, resumed.Kind);
    }

    [Fact]
    public async Task A_refused_handle_seeds_one_fresh_session_with_the_conversation_so_far()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 2)
            {
                await c.ReceiveAsync();
                await c.CloseAsync(1008, "Requested entity was not found.");
                return;
            }

            await c.AcceptSetupAsync();
            if (c.Number == 1)
            {
                await c.SendAsync("""{"serverContent": {"inputTranscription": {"text": "Hi, my name is Robin."}}}""");
                await c.SendAsync("""{"serverContent": {"outputTranscription": {"text": "Hello Robin, how can I help?"}}}""");
                await c.SendAsync("""{"serverContent": {"turnComplete": true}}""");
                await c.SendAsync(Handle("H1"));
                await c.CloseAsync(1011, "The service is currently unavailable.");
            }
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var resumed = await session.NextAsync<SessionResumed>();

        Assert.Equal(ModelResumeKind.FreshSeeded, resumed.Kind);
        var seeded = server.Connections.Last().Received.First()["setup"]!;
        Assert.Null(seeded["sessionResumption"]?["handle"]);
        var instruction = seeded["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>();
        Assert.StartsWith("You are a phone agent.", instruction, StringComparison.Ordinal);
        Assert.Contains("Caller: Hi, my name is Robin.", instruction, StringComparison.Ordinal);
        Assert.Contains("Agent: Hello Robin, how can I help?", instruction, StringComparison.Ordinal);
        Assert.Contains(host.Log, e => e.Message.Contains("'Requested entity was not found.'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_resume_and_a_refused_seeded_session_end_the_session()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number > 1)
            {
                await c.ReceiveAsync();
                await c.CloseAsync(1007, "Request contains an invalid argument.");
                return;
            }

            await c.AcceptSetupAsync();
            await c.SendAsync(Handle("H1"));
            await c.CloseAsync(1000, "");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var end = await session.Completion.WaitAsync(SessionTestExtensions.Patience);

        Assert.Equal((ModelSessionEndReason.RejectedByProvider, 1007), (end.Reason, end.CloseCode));
        Assert.Equal(3, server.Connections.Count); // resume refused → one seeded session refused → fatal
        Assert.True(end.IsFailure);
    }

    [Fact]
    public async Task A_fatal_1008_on_a_fresh_setup_is_never_retried()
    {
        const string Reason = "models/gemini-9.9-flash-live-example is not found for API version v1beta, or is not supported for bidiGenerateContent. Call";
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.ReceiveAsync();
            await c.CloseAsync(1008, Reason);
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var error = await Assert.ThrowsAsync<ModelSessionException>(() => session.Ready.WaitAsync(SessionTestExtensions.Patience));
        await Task.Delay(200);

        Assert.Equal(ModelSessionEndReason.SetupRejected, error.End.Reason);
        Assert.Equal((1008, Reason), (error.End.CloseCode, error.End.CloseReason));
        Assert.Equal(ModelSessionEndReason.SetupRejected, (await session.Completion).Reason);
        Assert.Single(server.Connections);
        Assert.Contains(host.Log, e => e.Message.Contains(Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policy_close_mid_session_gets_one_reconnect_then_is_fatal()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            await c.SendAsync(Handle($"H{c.Number}"));
            await c.CloseAsync(1008, "Operation is not implemented, or supported, or enabled.");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var end = await session.Completion.WaitAsync(SessionTestExtensions.Patience);

        Assert.Equal((ModelSessionEndReason.RejectedByProvider, 1008), (end.Reason, end.CloseCode));
        Assert.Equal(2, server.Connections.Count);
        Assert.Equal("H1", SetupHandle(server.Connections.Last().Received.First()));
    }

    [Fact]
    public async Task Transient_setup_failures_are_retried_then_given_up()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.ReceiveAsync();
            await c.CloseAsync(1011, "The service is currently unavailable.");
        });
        await using var host = GeminiTestHost.Create(server.Uri, new Dictionary<string, string?> { ["Gemini:Reconnect:MaxRetries"] = "2" });
        await using var session = host.Client.Open(Config);

        var end = await session.Completion.WaitAsync(SessionTestExtensions.Patience);

        Assert.Equal((ModelSessionEndReason.ReconnectFailed, 1011), (end.Reason, end.CloseCode));
        Assert.Equal(3, server.Connections.Count);
        Assert.Equal(2, host.Log.Count(e => e.EventId.Id == 370));
    }

    [Fact]
    public async Task Vertex_falls_over_to_the_next_region_and_a_mid_call_fail_over_seeds_a_fresh_session_there()
    {
        var refused = "us-central1";
        await using var server = await ScriptedGeminiServer.StartAsync(
            async c =>
            {
                await c.AcceptSetupAsync();
                await c.SendAsync(Handle("H-" + c.Number));
                if (c.Path.Contains("europe-west4", StringComparison.Ordinal))
                {
                    refused = "europe-west4";
                    await c.CloseAsync(1011, "Internal error occurred.");
                }
            },
            refuse: context => context.Request.Path.Value!.Contains(refused, StringComparison.Ordinal));
        await using var host = GeminiTestHost.Create(
            new Uri(server.Uri, "/{location}/ws"),
            new Dictionary<string, string?>
            {
                ["Gemini:Backend"] = "Vertex",
                ["Gemini:ApiKey"] = null,
                ["Gemini:Vertex:Project"] = "test-project",
                ["Gemini:Vertex:Location"] = "us-central1",
                ["Gemini:Vertex:FallbackLocations"] = "europe-west4",
            },
            services: s => s.Replace(ServiceDescriptor.Singleton<IGeminiAccessTokenSource>(new StaticToken("ya29.static"))));
        await using var session = host.Client.Open(Config);

        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        var resumed = await session.NextAsync<SessionResumed>();

        var setups = server.Connections.Select(c => c.Received.First()["setup"]!).ToList();
        Assert.Equal("projects/test-project/locations/europe-west4/publishers/google/models/gemini-live-2.5-flash-native-audio", setups[0]["model"]!.GetValue<string>());
        Assert.Equal("projects/test-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash-native-audio", setups[1]["model"]!.GetValue<string>());
        Assert.Null(setups[1]["sessionResumption"]!["handle"]); // handles are region-bound
        Assert.Equal(ModelResumeKind.FreshSeeded, resumed.Kind);
        Assert.Equal("Bearer ya29.static", server.Connections.First().Headers["Authorization"]);
        Assert.Equal(2, host.Log.Count(e => e.EventId.Id == 311));
    }

    [Fact]
    public async Task Vertex_with_a_service_account_key_connects_with_a_bearer_token_from_the_token_endpoint()
    {
        var folder = Directory.CreateTempSubdirectory("phoneagent-sa-").FullName;
        await using var tokens = await FakeGoogleTokenEndpoint.StartAsync();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync(sessionId: "3f2a9c1e-7b4d-4e8a-9c6f-2d1b0a7e5c43");
            await c.SendGoldenAsync("server-audio-chunk-vertex.json");
        });
        try
        {
            await using var host = GeminiTestHost.Create(server.Uri, new Dictionary<string, string?>
            {
                ["Gemini:Backend"] = "Vertex",
                ["Gemini:ApiKey"] = null,
                ["Gemini:Vertex:Project"] = "test-project",
                ["Gemini:Vertex:CredentialsFile"] = tokens.WriteKeyFile(folder),
            });
            await using var session = host.Client.Open(Config);

            var ready = await session.NextAsync<SessionReady>();
            var audio = Assert.Single(await session.ReadAudioAsync(1));

            var connection = Assert.Single(server.Connections);
            Assert.Equal("Bearer ya29.test-token-1", connection.Headers["Authorization"]);
            Assert.Equal("/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", connection.Path);
            Assert.Equal("projects/test-project/locations/us-central1/publishers/google/models/gemini-live-2.5-flash-native-audio", connection.Received.First()["setup"]!["model"]!.GetValue<string>());
            Assert.Equal("en-US", (await SetupOf(host, connection))["generationConfig"]?["speechConfig"]?["languageCode"]?.GetValue<string>() ?? "en-US");
            Assert.Equal("3f2a9c1e-7b4d-4e8a-9c6f-2d1b0a7e5c43", ready.ProviderSessionId);
            Assert.Equal(24_000, audio.SampleRate);
            Assert.DoesNotContain(host.Log, e => e.AllText.Contains("ya29", StringComparison.Ordinal));
            audio.Dispose();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_prewarmed_session_is_handed_over_and_an_unclaimed_one_is_closed_after_the_timeout()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(c => c.AcceptSetupAsync());
        await using var host = GeminiTestHost.Create(server.Uri);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var prewarmer = new ModelSessionPrewarmer(host.Client, time, TimeSpan.FromSeconds(10), NullLogger<ModelSessionPrewarmer>.Instance);

        Assert.True(prewarmer.Prewarm("CA1", Config));
        Assert.False(prewarmer.Prewarm("CA1", Config));
        Assert.True(prewarmer.Prewarm("CA2", Config));
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Count == 2 && server.Connections.All(c => c.Received.Count > 0));

        var claimed = prewarmer.Claim("CA1");
        Assert.NotNull(claimed);
        await claimed.Ready.WaitAsync(SessionTestExtensions.Patience);
        Assert.Null(prewarmer.Claim("CA1"));

        time.Advance(TimeSpan.FromSeconds(11));
        await SessionTestExtensions.WaitUntilAsync(() => prewarmer.Count == 0);
        Assert.Null(prewarmer.Claim("CA2"));
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Count(c => c.ClientClosed.IsCompleted) == 1);
        Assert.False(claimed.Completion.IsCompleted);
        await claimed.DisposeAsync();
    }

    [Fact]
    public async Task The_prewarmer_is_registered_with_the_configured_timeout()
    {
        await using var host = GeminiTestHost.Create(GeminiTestHost.ClosedLoopbackEndpoint());

        Assert.IsType<ModelSessionPrewarmer>(host.Services.GetRequiredService<IModelSessionPrewarmer>());
    }

    private static Task<JsonNode> SetupOf(GeminiTestHost host, ScriptedConnection connection)
    {
        _ = host;
        return Task.FromResult(connection.Received.First()["setup"]!);
    }

    private sealed class StaticToken(string token) : IGeminiAccessTokenSource
    {
        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);
    }
}
