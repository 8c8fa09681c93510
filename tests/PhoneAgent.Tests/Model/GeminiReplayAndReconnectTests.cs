using System.Text.Json.Nodes;
using PhoneAgent.Bridge;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>
/// Forced reconnect (<see cref="IReconnectableModelSession"/>) and the replay of caller audio sent after the newest
/// resumable handle, against the scripted server over real sockets.
/// </summary>
public sealed class GeminiReplayAndReconnectTests
{
    private static readonly ModelSessionConfig Config = new() { SystemInstruction = "You are a phone agent.", Voice = "Aoede", Label = "CA-replay" };

    private static string Handle(string handle) => $$$"""{"sessionResumptionUpdate": {"newHandle": "{{{handle}}}", "resumable": true}}""";

    private static string? SetupHandle(JsonNode setup) => setup["setup"]!["sessionResumption"]?["handle"]?.GetValue<string>();

    private static List<int> Chunks(ScriptedConnection connection) =>
        connection.Received.Select(SessionTestExtensions.ChunkNumber).OfType<int>().ToList();

    private static List<byte[]> AudioBytes(ScriptedConnection connection) =>
        [.. connection.Received.Select(m => m["realtimeInput"]?["audio"]?["data"]?.GetValue<string>()).OfType<string>().Select(Convert.FromBase64String)];

    /// <summary>Sends chunks 0,1, then the server issues H1 once it has them; chunks 2,3 follow on the old connection.</summary>
    private static async Task SendAudioAroundTheHandleAsync(IRealtimeModelSession session, ScriptedGeminiServer server)
    {
        var gemini = (GeminiLiveSession)session;
        session.SendAudio(SessionTestExtensions.NumberedChunk(0));
        session.SendAudio(SessionTestExtensions.NumberedChunk(1));
        await SessionTestExtensions.WaitUntilAsync(() => gemini.ResumptionHandle == "H1");
        session.SendAudio(SessionTestExtensions.NumberedChunk(2));
        session.SendAudio(SessionTestExtensions.NumberedChunk(3, bytes: 320));
        await SessionTestExtensions.WaitUntilAsync(() => Chunks(server.Connections.First()).Count == 4);
    }

    private static async Task HandleAfterTwoChunksAsync(ScriptedConnection c)
    {
        await c.AcceptSetupAsync();
        await c.ReceiveAsync("realtimeInput");
        await c.ReceiveAsync("realtimeInput");
        await c.SendAsync(Handle("H1"));
    }

    [Fact]
    public async Task The_session_is_reconnectable_for_the_bridge()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(c => c.AcceptSetupAsync());
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        Assert.IsAssignableFrom<IReconnectableModelSession>(session);
    }

    [Fact]
    public async Task A_forced_reconnect_resumes_with_the_newest_handle_emits_the_events_and_replays_the_audio_sent_after_it()
    {
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 1)
            {
                await HandleAfterTwoChunksAsync(c);
                return;
            }

            await c.AcceptSetupAsync();
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await SendAudioAroundTheHandleAsync(session, server);

        ((IReconnectableModelSession)session).Reconnect("stalled");
        var reconnecting = await session.NextAsync<Reconnecting>();
        var resumed = await session.NextAsync<SessionResumed>();
        session.SendAudio(SessionTestExtensions.NumberedChunk(4));
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Count == 2 && Chunks(server.Connections.Last()).Contains(4));

        Assert.Equal((ModelReconnectCause.Requested, (int?)null, "stalled"), (reconnecting.Cause, reconnecting.CloseCode, reconnecting.CloseReason));
        Assert.Equal(ModelResumeKind.Resumed, resumed.Kind);
        var second = server.Connections.Last();
        Assert.Equal("H1", SetupHandle(second.Received.First()));

        // The new connection hears, first, exactly the bytes sent after H1 on the old one, then the new audio.
        Assert.Equal([2, 3, 4], Chunks(second));
        var sentAfterHandle = AudioBytes(server.Connections.First()).Skip(2).ToList();
        Assert.Equal(sentAfterHandle, AudioBytes(second).Take(2));
        Assert.Equal(320, AudioBytes(second)[1].Length);
        Assert.Equal(1, session.Counters.Reconnects);
        Assert.Equal(0, session.Counters.ReplayAudioDroppedChunks);
        Assert.Contains(host.Log, e => e.Message.Contains("stalled", StringComparison.Ordinal) && e.Message.Contains("#1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forced_reconnect_without_an_active_connection_is_ignored()
    {
        var release = new TaskCompletionSource();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            await release.Task;
            await c.AcceptSetupAsync();
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);

        ((IReconnectableModelSession)session).Reconnect("stalled");
        release.SetResult();
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await Task.Delay(200);

        Assert.Single(server.Connections);
        Assert.Equal(0, session.Counters.Reconnects);
    }

    [Fact]
    public async Task A_goAway_hand_over_at_the_deadline_replays_the_caller_audio_sent_after_the_handle()
    {
        var goAway = new TaskCompletionSource();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 1)
            {
                await HandleAfterTwoChunksAsync(c);
                await goAway.Task;

                // No turn boundary: the switch happens at timeLeft minus the margin, mid-utterance.
                await c.SendAsync("""{"goAway": {"timeLeft": "1.200s"}}""");
                return;
            }

            await c.AcceptSetupAsync();
        });
        await using var host = GeminiTestHost.Create(server.Uri, new Dictionary<string, string?> { ["Gemini:GoAwayMargin"] = "00:00:01" });
        await using var session = host.Client.Open(Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await SendAudioAroundTheHandleAsync(session, server);

        goAway.SetResult();
        await session.NextAsync<GoAway>();
        var resumed = await session.NextAsync<SessionResumed>();
        session.SendAudio(SessionTestExtensions.NumberedChunk(4));
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Count == 2 && Chunks(server.Connections.Last()).Contains(4));

        Assert.Equal(ModelResumeKind.Handover, resumed.Kind);
        var second = server.Connections.Last();
        Assert.Equal("H1", SetupHandle(second.Received.First()));
        Assert.Equal([2, 3, 4], Chunks(second));
        Assert.Equal(AudioBytes(server.Connections.First()).Skip(2).ToList(), AudioBytes(second).Take(2));
        Assert.Equal(1, session.Counters.Handovers);
    }

    [Fact]
    public async Task A_resume_after_an_abrupt_close_replays_the_caller_audio_sent_after_the_handle_ahead_of_the_audio_queued_meanwhile()
    {
        var drop = new TaskCompletionSource();
        var letSecondIn = new TaskCompletionSource();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 1)
            {
                await HandleAfterTwoChunksAsync(c);
                await drop.Task;
                c.Abort();
                return;
            }

            await letSecondIn.Task;
            await c.AcceptSetupAsync();
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await SendAudioAroundTheHandleAsync(session, server);

        drop.SetResult();
        var reconnecting = await session.NextAsync<Reconnecting>();

        // Audio during the outage waits in the outbound queue and must follow the replay.
        session.SendAudio(SessionTestExtensions.NumberedChunk(4));
        session.SendAudio(SessionTestExtensions.NumberedChunk(5));
        letSecondIn.SetResult();
        var resumed = await session.NextAsync<SessionResumed>();
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Count == 2 && Chunks(server.Connections.Last()).Contains(5));

        Assert.Equal(ModelReconnectCause.TransportLost, reconnecting.Cause);
        Assert.Equal(ModelResumeKind.Resumed, resumed.Kind);
        var second = server.Connections.Last();
        Assert.Equal("H1", SetupHandle(second.Received.First()));
        Assert.Equal([2, 3, 4, 5], Chunks(second));
        Assert.Equal(AudioBytes(server.Connections.First()).Skip(2).ToList(), AudioBytes(second).Take(2));
    }

    [Fact]
    public async Task Caller_audio_the_model_already_started_answering_is_not_replayed()
    {
        var answer = new TaskCompletionSource();
        await using var server = await ScriptedGeminiServer.StartAsync(async c =>
        {
            if (c.Number == 1)
            {
                await HandleAfterTwoChunksAsync(c);
                await answer.Task;
                await c.SendAsync("""{"serverContent": {"outputTranscription": {"text": "Sure."}}}""");
                return;
            }

            await c.AcceptSetupAsync();
        });
        await using var host = GeminiTestHost.Create(server.Uri);
        await using var session = host.Client.Open(Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await SendAudioAroundTheHandleAsync(session, server);
        answer.SetResult();
        await session.NextAsync<OutputTranscript>();

        ((IReconnectableModelSession)session).Reconnect("stalled");
        await session.NextAsync<SessionResumed>();
        session.SendAudio(SessionTestExtensions.NumberedChunk(4));
        await SessionTestExtensions.WaitUntilAsync(() => server.Connections.Count == 2 && Chunks(server.Connections.Last()).Contains(4));

        Assert.Equal([4], Chunks(server.Connections.Last()));
    }

    [Fact]
    public void The_replay_buffer_is_bounded_oldest_dropped_and_counted()
    {
        var counters = new ModelSessionCounters();
        var buffer = new GeminiReplayBuffer(TimeSpan.FromMilliseconds(100), 16_000, counters); // 3,200 bytes

        for (var i = 0; i < 8; i++)
        {
            buffer.Record(OutboundKind.Audio, SessionTestExtensions.NumberedChunk(i));
        }

        var kept = buffer.Take();
        try
        {
            Assert.Equal([3, 4, 5, 6, 7], kept.Select(k => BitConverter.ToInt32(k.Buffer!, 0)));
            Assert.Equal(3, counters.ReplayAudioDroppedChunks);
            Assert.Equal(0, buffer.Bytes);
        }
        finally
        {
            foreach (var item in kept)
            {
                item.Release();
            }
        }
    }
}
