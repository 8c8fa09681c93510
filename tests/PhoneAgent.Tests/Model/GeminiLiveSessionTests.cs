using System.Net.WebSockets;
using System.Text.Json.Nodes;
using PhoneAgent.Model;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>The client against a scripted server over real sockets: setup, frames, sends, tool calls, barge-in.</summary>
public sealed class GeminiLiveSessionTests
{
    private static readonly ModelSessionConfig Config = new()
    {
        SystemInstruction = "You are a phone agent.",
        Voice = "Aoede",
        LanguageCode = "en-US",
        Label = "CA-test",
        TurnDetection = new ModelTurnDetection { HighStartSensitivity = false, HighEndSensitivity = false, PrefixPaddingMs = 100, SilenceDurationMs = 600, CallerCanInterrupt = true, TurnIncludesOnlyActivity = true },
    };

    [Fact]
    public async Task Nothing_is_sent_before_setupComplete_and_early_audio_is_bounded_to_two_seconds()
    {
        var setupComplete = new TaskCompletionSource();
        var setupSeen = new TaskCompletionSource<JsonNode>();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            setupSeen.SetResult(await c.ReceiveAsync());
            await setupComplete.Task;
            await c.SendAsync("""{"setupComplete": {}}""");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var setup = await setupSeen.Task.WaitAsync(SessionTestExtensions.Patience);
        for (var i = 0; i < 150; i++)
        {
            session.SendAudio(SessionTestExtensions.NumberedChunk(i)); // 3 s of caller audio while the model is not ready
        }

        session.SendText("The caller pressed 1");
        await Task.Delay(200);
        var connection = Assert.Single(server.Connections);
        Assert.Single(connection.Received);
        setupComplete.SetResult();
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);

        // Control first, then the newest 2 s of audio in order.
        Assert.Equal("The caller pressed 1", (await connection.ReceiveAsync())["realtimeInput"]!["text"]!.GetValue<string>());
        var numbers = new List<int>();
        while (numbers.Count < 100)
        {
            numbers.Add(SessionTestExtensions.ChunkNumber(await connection.ReceiveAsync())!.Value);
        }

        Assert.Equal(Enumerable.Range(50, 100), numbers);
        Assert.Equal(50, session.Counters.InputAudioDroppedChunks);
        Assert.Equal("models/gemini-2.5-flash-native-audio-preview-12-2025", setup["setup"]!["model"]!.GetValue<string>());
        Assert.Equal("test-key", connection.Headers["x-goog-api-key"]);
        Assert.Equal("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", connection.Path);
        Assert.NotNull(setup["setup"]!["sessionResumption"]);
        Assert.Equal("Aoede", setup["setup"]!["generationConfig"]!["speechConfig"]!["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>());
        Assert.Null(setup["setup"]!["generationConfig"]!["speechConfig"]!["languageCode"]); // not accepted by this model
    }

    [Fact]
    public async Task Binary_text_fragmented_bundled_and_empty_frames_become_events_and_audio()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            await c.SendGoldenAsync("server-resumption-update.json", binary: false);
            await c.SendGoldenAsync("server-audio-chunk-devapi.json", binary: true, fragmentBytes: 1000);
            await c.SendGoldenAsync("server-empty-message.json");
            await c.SendGoldenAsync("server-serverContent-empty.json");
            await c.SendGoldenAsync("server-audio-chunk-with-transcription-devapi-3x.json", binary: false, fragmentBytes: 333);
            await c.SendGoldenAsync("server-generationComplete.json");
            await c.SendGoldenAsync("server-turnComplete-usage-devapi.json");
            await c.SendGoldenAsync("server-voiceActivity-start-devapi-3x.json");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        await session.NextAsync<SessionReady>();
        var transcript = await session.NextAsync<OutputTranscript>();
        var generation = await session.NextAsync<GenerationComplete>();
        var turn = await session.NextAsync<TurnComplete>();
        var usage = await session.NextAsync<UsageReported>();
        var activity = await session.NextAsync<VoiceActivityDetected>();
        var audio = await session.ReadAudioAsync(2);

        var spoken = GeminiGolden.Json("server-audio-chunk-with-transcription-devapi-3x.json")["serverContent"]!["outputTranscription"]!["text"]!.GetValue<string>();
        Assert.Equal(new OutputTranscript(1, spoken, false), transcript);
        Assert.Equal(1, generation.Turn);
        Assert.Equal(1291, usage.Usage.TotalTokens);
        Assert.Equal(new TurnComplete(1, 1), turn);
        Assert.True(activity.SpeechStarted);
        Assert.Equal([0L, 1L], audio.Select(a => a.Sequence));
        Assert.All(audio, a => Assert.Equal(1, a.Turn));
        Assert.Equal(11_520, audio[0].Length);
        Assert.Equal(TimeSpan.FromMilliseconds(240), audio[0].Duration);
        var expected = Convert.FromBase64String(GeminiGolden.Json("server-audio-chunk-devapi.json")["serverContent"]!["modelTurn"]!["parts"]![0]!["inlineData"]!["data"]!.GetValue<string>());
        Assert.Equal(expected, audio[0].Pcm.ToArray());
        audio.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task Tool_call_round_trip_and_cancelled_or_unknown_calls_are_not_answered()
    {
        var responses = new TaskCompletionSource<JsonNode>();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            await c.SendGoldenAsync("server-toolCall-devapi.json");
            responses.SetResult(await c.ReceiveAsync("toolResponse"));
            await c.SendAsync("""{"toolCall": {"functionCalls": [{"name": "get_weather", "args": {"city": "Paris"}, "id": "function-call-2"}]}}""");
            await c.SendGoldenAsync("server-toolCall-vertex-noid-legacy.json");
            await c.SendAsync("""{"toolCallCancellation": {"ids": ["function-call-2"]}}""");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        var call = await session.NextAsync<ToolCallRequested>();
        Assert.Equal(("function-call-10458203941175630621", "get_weather", "Lyon"), (call.CallId, call.Name, call.Arguments.GetProperty("city").GetString()));
        session.SendToolResult(ModelToolResult.Success(call.CallId, call.Name, "Cloudy, 14 degrees.") with { Scheduling = ModelToolScheduling.WhenIdle });
        JsonAssert.Equivalent(JsonNode.Parse("""
            {"toolResponse": {"functionResponses": [{"id": "function-call-10458203941175630621", "name": "get_weather",
              "response": {"output": "Cloudy, 14 degrees.", "scheduling": "WHEN_IDLE"}, "scheduling": "WHEN_IDLE"}]}}
            """), await responses.Task.WaitAsync(SessionTestExtensions.Patience));

        var second = await session.NextAsync<ToolCallRequested>();
        var legacy = await session.NextAsync<ToolCallRequested>();
        var cancelled = await session.NextAsync<ToolCallCancelled>();
        Assert.Equal(["function-call-2"], cancelled.CallIds);
        Assert.Equal(ToolCancelReason.CancelledByModel, cancelled.Reason);
        session.SendToolResult(ModelToolResult.Success(second.CallId, second.Name, "too late"));
        session.SendToolResult(ModelToolResult.Success("no-such-call", "get_weather", "?"));
        session.SendToolResult(ModelToolResult.Failure(call.CallId, call.Name, "answered twice"));
        session.SendToolResult(ModelToolResult.Failure(legacy.CallId, legacy.Name, "Weather service down."));

        var connection = Assert.Single(server.Connections);
        var answer = await connection.ReceiveAsync("toolResponse");
        JsonAssert.Equivalent(JsonNode.Parse("""
            {"toolResponse": {"functionResponses": [{"name": "get_weather", "response": {"error": "Weather service down."}}]}}
            """), answer);
        await Task.Delay(100);
        Assert.Equal(2, connection.Received.Count(m => m["toolResponse"] is not null));
        Assert.Contains(host.Log, e => e.EventId.Id == 315 && e.Message.Contains("no-such-call", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Interrupted_discards_the_queued_audio_of_the_turn_and_later_audio_starts_the_next_turn()
    {
        var go = new TaskCompletionSource();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            for (var i = 0; i < 3; i++)
            {
                await c.SendGoldenAsync("server-audio-chunk-devapi.json");
            }

            await go.Task;
            await c.SendGoldenAsync("server-generationComplete.json");
            await c.SendGoldenAsync("server-interrupted.json");
            await c.SendGoldenAsync("server-turnComplete-usage-devapi.json");
            await c.SendGoldenAsync("server-audio-chunk-vertex.json");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        await SessionTestExtensions.WaitUntilAsync(() => session.Audio.Count == 3);
        go.SetResult();
        var interrupted = await session.NextAsync<Interrupted>();
        var turn = await session.NextAsync<TurnComplete>();
        var next = Assert.Single(await session.ReadAudioAsync(1));

        Assert.Equal(1, interrupted.Turn);
        Assert.Equal(new TurnComplete(1, 2), turn);
        Assert.Equal(3, session.Counters.InterruptedAudioDiscardedChunks);
        Assert.Equal((2L, 3L, 9_600), (next.Turn, next.Sequence, next.Length));
        next.Dispose();
    }

    [Fact]
    public async Task Bad_frames_are_skipped_and_logged_and_the_session_goes_on()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await c.AcceptSetupAsync();
            await c.SendAsync("this is not JSON", binary: false);
            await c.SendAsync("""{"serverContent": 5}""");
            await c.SendAsync("""{"serverContent": {"modelTurn": {"parts": [{"inlineData": {"data": "!!", "mimeType": "audio/pcm"}}]}}}""");
            await c.SendGoldenAsync("server-generationComplete.json");
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        await session.NextAsync<GenerationComplete>();

        Assert.Equal(3, host.Log.Count(e => e.EventId.Id == 319));
        Assert.Equal(3, session.Counters.BadFrames);
        Assert.DoesNotContain(host.Log, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("this is not JSON", StringComparison.Ordinal));
        Assert.False(session.Completion.IsCompleted);
    }

    [Fact]
    public async Task Close_sends_a_normal_close_and_ends_both_lanes()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(c => c.AcceptSetupAsync());
        await using var host = GeminiTestHost.Create(server.Uri);
        var session = host.Client.Open(Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);

        await session.CloseAsync();

        var closed = await Assert.Single(server.Connections).ClientClosed.WaitAsync(SessionTestExtensions.Patience);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        Assert.Equal(ModelSessionEndReason.ClosedByClient, (await session.Completion).Reason);
        var remaining = new List<ModelEvent>();
        await foreach (var e in session.Events.ReadAllAsync())
        {
            remaining.Add(e);
        }

        Assert.Equal([new SessionReady(null)], remaining);
        await session.Events.Completion.WaitAsync(SessionTestExtensions.Patience);
        await session.Audio.Completion.WaitAsync(SessionTestExtensions.Patience);
        await session.DisposeAsync();
    }

    [Fact]
    public async Task Affective_dialog_switches_the_Developer_API_to_v1alpha()
    {
        var setupSeen = new TaskCompletionSource<JsonNode>();
        await using var server = await ScriptedGeminiServer.StartAsync(async c => setupSeen.SetResult(await c.AcceptSetupAsync()));
        await using var host = GeminiTestHost.Create(server.Uri, new Dictionary<string, string?> { ["Gemini:AffectiveDialog"] = "true", ["Gemini:ProactiveAudio"] = "true" });
        await using var session = host.Client.Open(Config);

        var setup = (await setupSeen.Task.WaitAsync(SessionTestExtensions.Patience))["setup"]!;

        Assert.Equal("/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent", Assert.Single(server.Connections).Path);
        Assert.True(setup["generationConfig"]!["enableAffectiveDialog"]!.GetValue<bool>());
        Assert.True(setup["proactivity"]!["proactiveAudio"]!.GetValue<bool>());
    }
}
