using PhoneAgent.Model;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>
/// The client against the Gemini Live emulator over real sockets: goAway hand-over mid-utterance (with and without the
/// emulator refusing a resume while the old socket is open), resumption after an abrupt 1011, a refused handle, a fatal 1008.
/// Replies are test-mode tones whose frequency names the caller turn they answer.
/// </summary>
public sealed class GeminiEmulatorContinuityTests
{
    private const string TwoTurns = """
        {"name": "two-turns", "turns": [
          {"caller": "Hello there.", "reply": {"text": "Hi, how can I help?"}},
          {"caller": "Where is my order?", "reply": {"text": "It ships today."}}]}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GoAway_mid_utterance_finishes_the_turn_on_the_old_socket_and_the_next_starts_on_the_new_one(bool refuseResumeWhileOldOpen)
    {
        const string Scenario = """
            {"name": "goaway", "goAway": {"atTurn": 1, "timeLeftSeconds": 20},
             "turns": [
              {"caller": "Hello there.", "reply": {"text": "Hi, go ahead."}},
              {"caller": "Where is my order?", "reply": {"text": "It ships today."}}]}
            """;
        await using var fixture = await EmulatorFixture.StartAsync(Scenario, o => o.RefuseResumeWhileOldOpen = refuseResumeWhileOldOpen);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        var events = new List<ModelEvent>();
        var goAway = await session.NextAsync<GoAway>(events);
        var firstTurn = await session.NextAsync<TurnComplete>(events);
        var resumed = await session.NextAsync<SessionResumed>(events);
        await caller.SayAndPauseAsync();
        var secondTurn = await session.NextAsync<TurnComplete>(events);
        var audio = await EmulatorAudio.DrainAudio(session);

        Assert.Equal(TimeSpan.FromSeconds(20), goAway.TimeLeft);
        Assert.Equal(ModelResumeKind.Handover, resumed.Kind);
        Assert.InRange(resumed.Gap, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(1, EmulatorAudio.TurnTag(audio.Where(a => a.Turn == firstTurn.Turn).ToList()));
        Assert.Equal(2, EmulatorAudio.TurnTag(audio.Where(a => a.Turn == secondTurn.Turn).ToList()));
        Assert.Equal(0, session.Counters.InputAudioDroppedChunks);
        audio.ForEach(a => a.Dispose());

        var logs = fixture.Emulator.Sessions;
        var old = logs[0];
        var current = logs[^1];
        Assert.Equal(refuseResumeWhileOldOpen ? 3 : 2, logs.Count);
        Assert.Equal(old.SessionId, current.SessionId);
        Assert.NotNull(current.ResumedWithHandle);
        Assert.Contains(old.Sent("serverContent.turnComplete"), e => e.Turn == 1);
        Assert.DoesNotContain(old.Sent("serverContent.turnComplete"), e => e.Turn == 2);
        Assert.Contains(current.Sent("serverContent.turnComplete"), e => e.Turn == 2);
        Assert.Equal(1000, old.CloseCode);
        if (refuseResumeWhileOldOpen)
        {
            Assert.Equal(1007, logs[1].CloseCode);
        }

        // No gap in the caller's audio beyond the buffered switch: every frame sent reached one socket or the other.
        await caller.DisposeAsync();
        await SessionTestExtensions.WaitUntilAsync(() => logs.Sum(l => l.Received("realtimeInput.audio").Sum(e => e.AudioBytes)) >= caller.FramesSent * 640 - 640 * 5);
        var received = fixture.Emulator.Sessions.Sum(l => l.Received("realtimeInput.audio").Sum(e => e.AudioBytes));
        // Audio sent since the last resumable handle is replayed to the new socket by design (at most 5 s, 160,000 B at
        // 16 kHz), so some frames may arrive twice; none may be missing beyond the buffered switch.
        Assert.InRange(received, (caller.FramesSent - 5) * 640, (caller.FramesSent * 640) + 160_000);
    }

    [Fact]
    public async Task An_abrupt_1011_mid_reply_is_resumed_with_the_handle()
    {
        const string Scenario = """
            {"name": "abrupt", "turns": [{"caller": "Hello there.", "reply": {"text": "Hi, I am listening."}},
                                         {"caller": "Where is my order?", "reply": {"text": "It ships today."}}],
             "faults": [{"kind": "close", "at": "midReply", "turn": 1, "code": 1011}]}
            """;
        await using var fixture = await EmulatorFixture.StartAsync(Scenario);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        var reconnecting = await session.NextAsync<Reconnecting>();
        var resumed = await session.NextAsync<SessionResumed>();
        await caller.SayAndPauseAsync(300, 100);
        var answered = await session.NextAsync<TurnComplete>();

        Assert.Equal(1011, reconnecting.CloseCode);
        Assert.False(string.IsNullOrEmpty(reconnecting.CloseReason));
        Assert.Equal(ModelResumeKind.Resumed, resumed.Kind);
        Assert.True(answered.Turn >= 2, "audio after the resume is a new model turn");
        var logs = fixture.Emulator.Sessions;
        Assert.Equal(2, logs.Count);
        Assert.NotEmpty(logs[1].Sent("serverContent.turnComplete")); // the cut turn is answered on the resumed connection
        Assert.Equal(logs[0].SessionId, logs[1].SessionId);
        Assert.Contains(fixture.Host.Log, e => e.Message.Contains($"close 1011 '{reconnecting.CloseReason}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_handle_is_answered_with_a_fresh_seeded_session()
    {
        const string Scenario = """
            {"name": "refused", "turns": [{"caller": "Hello there.", "reply": {"text": "Hi, how can I help?"}}],
             "faults": [{"kind": "close", "at": "afterReply", "turn": 1, "code": 1011},
                        {"kind": "refuseResume", "count": 0, "code": 1008, "reason": "Requested entity was not found."}]}
            """;
        await using var fixture = await EmulatorFixture.StartAsync(Scenario);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        var resumed = await session.NextAsync<SessionResumed>(timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(ModelResumeKind.FreshSeeded, resumed.Kind);
        var logs = fixture.Emulator.Sessions;
        Assert.Equal(3, logs.Count);
        Assert.Equal(1008, logs[1].CloseCode);
        Assert.Null(logs[2].ResumedWithHandle);
        var setup = Assert.Single(logs[2].Received("setup"));
        Assert.Contains(fixture.Host.Log, e => e.Message.Contains("'Requested entity was not found.'", StringComparison.Ordinal));
        Assert.NotNull(setup);
    }

    [Fact]
    public async Task A_wrong_model_is_a_fatal_1008_without_retries()
    {
        await using var fixture = await EmulatorFixture.StartAsync(TwoTurns, o => o.Models = ["gemini-live-2.5-flash-native-audio"]);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);

        var error = await Assert.ThrowsAsync<ModelSessionException>(() => session.Ready.WaitAsync(SessionTestExtensions.Patience));
        await Task.Delay(200);

        Assert.Equal((ModelSessionEndReason.SetupRejected, 1008), (error.End.Reason, error.End.CloseCode));
        Assert.Single(fixture.Emulator.Sessions);
        Assert.Contains(fixture.Host.Log, e => e.Message.Contains(error.End.CloseReason!, StringComparison.Ordinal));
    }
}
