using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.Model;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>
/// The client against the Gemini Live emulator over real sockets: setup, audio both ways, a tool round, barge-in,
/// bad frames, and the in-process emulator back end.
/// Replies are test-mode tones whose frequency names the caller turn they answer.
/// </summary>
public sealed class GeminiEmulatorConversationTests
{
    private const string TwoTurns = """
        {"name": "two-turns", "turns": [
          {"caller": "Hello there.", "reply": {"text": "Hi, how can I help?"}},
          {"caller": "Where is my order?", "reply": {"text": "It ships today."}}]}
        """;

    [Fact]
    public async Task Setup_audio_both_ways_transcripts_and_turn_end()
    {
        await using var fixture = await EmulatorFixture.StartAsync(TwoTurns);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        var events = new List<ModelEvent>();
        var turn = await session.NextAsync<TurnComplete>(events);
        var audio = await EmulatorAudio.DrainAudio(session);

        Assert.Equal("Hello there.", string.Concat(events.OfType<InputTranscript>().Select(t => t.Text)).Trim());
        Assert.Equal("Hi, how can I help?", string.Concat(events.OfType<OutputTranscript>().Select(t => t.Text)).Trim());
        Assert.Contains(events, e => e is GenerationComplete { Turn: 1 });
        Assert.Equal(1, turn.Turn);
        Assert.NotEmpty(audio);
        Assert.All(audio, a => Assert.Equal((1L, 24_000), (a.Turn, a.SampleRate)));
        Assert.Equal(audio[^1].Sequence, turn.LastAudioSequence);
        Assert.Equal(1, EmulatorAudio.TurnTag(audio));
        audio.ForEach(a => a.Dispose());

        var log = Assert.Single(fixture.Emulator.Sessions);
        Assert.Equal("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", log.Path);
        Assert.NotEmpty(log.Received("realtimeInput.audio"));
        Assert.True(log.SetupCompleted);
    }

    [Fact]
    public async Task Tool_call_round_trip()
    {
        const string Scenario = """
            {"name": "weather", "turns": [{"caller": "What is the weather in Lyon?",
              "toolCalls": [{"name": "get_weather", "args": {"city": "Lyon"}}],
              "afterToolResponse": {"text": "It is {output}."}}]}
            """;
        await using var fixture = await EmulatorFixture.StartAsync(Scenario);
        var schema = JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""").RootElement;
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config with
        {
            Tools = [new ModelToolDeclaration("get_weather", "Get the weather for a city.", schema)],
        });
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        var call = await session.NextAsync<ToolCallRequested>();
        session.SendToolResult(ModelToolResult.Success(call.CallId, call.Name, "cloudy and fourteen degrees in Lyon"));
        var events = new List<ModelEvent>();
        await session.NextAsync<TurnComplete>(events);
        while (!events.OfType<OutputTranscript>().Any())
        {
            await session.NextAsync<TurnComplete>(events);
        }

        Assert.Equal(("get_weather", "Lyon"), (call.Name, call.Arguments.GetProperty("city").GetString()));
        Assert.Equal("It is cloudy and fourteen degrees in Lyon.", string.Concat(events.OfType<OutputTranscript>().Select(t => t.Text)).Trim());
        var response = Assert.Single(fixture.Emulator.Sessions[0].Received("toolResponse"));
        Assert.Contains(call.CallId, response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_speech_during_playback_interrupts_and_the_next_answer_is_a_new_turn()
    {
        const string Scenario = """
            {"name": "long", "turns": [
              {"caller": "Tell me everything.", "reply": {"text": "Well, there is a great deal to say about that, so let me start at the very beginning and go slowly."}},
              {"caller": "Stop.", "reply": {"text": "Sure."}}]}
            """;
        await using var fixture = await EmulatorFixture.StartAsync(Scenario);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        var first = await session.Audio.ReadAsync().AsTask().WaitAsync(SessionTestExtensions.Patience);
        caller.Say(300);
        var interrupted = await session.NextAsync<Interrupted>();
        var answer = await session.NextAsync<TurnComplete>();
        while (answer.Turn == interrupted.Turn)
        {
            answer = await session.NextAsync<TurnComplete>();
        }

        var audio = await EmulatorAudio.DrainAudio(session);
        var next = audio.Where(a => a.Turn == answer.Turn).ToList();

        Assert.Equal(first.Turn, interrupted.Turn);
        Assert.True(answer.Turn > interrupted.Turn);
        Assert.NotEmpty(next);
        Assert.Equal(2, EmulatorAudio.TurnTag(next));
        Assert.Contains(fixture.Emulator.Sessions[0].Sent("serverContent.interrupted"), e => e.Turn == 1);
        first.Dispose();
        audio.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task A_malformed_frame_is_skipped_and_the_answer_still_arrives()
    {
        const string Scenario = """
            {"name": "malformed", "turns": [{"caller": "Hello there.", "reply": {"text": "Hi, how can I help?"}}],
             "faults": [{"kind": "malformedFrame", "at": "reply", "turn": 1}]}
            """;
        await using var fixture = await EmulatorFixture.StartAsync(Scenario);
        await using var session = fixture.Host.Client.Open(EmulatorFixture.Config);
        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        await using var caller = new CallerLine(session);

        caller.Say();
        await session.NextAsync<TurnComplete>();

        Assert.Contains(fixture.Host.Log, e => e.EventId.Id == 319);
        Assert.Single(fixture.Emulator.Sessions);
        (await EmulatorAudio.DrainAudio(session)).ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task Backend_Emulator_hosts_the_emulator_in_process()
    {
        await using var host = GeminiTestHost.Create(endpoint: null, new Dictionary<string, string?> { ["Gemini:Backend"] = "Emulator", ["Gemini:ApiKey"] = null });
        await using var session = host.Client.Open(EmulatorFixture.Config);

        await session.Ready.WaitAsync(SessionTestExtensions.Patience);
        session.SendText("Greet the caller.");
        var events = new List<ModelEvent>();
        await session.NextAsync<GenerationComplete>(events, TimeSpan.FromSeconds(10));

        Assert.Contains(events, e => e is OutputTranscript { Text.Length: > 0 });
        Assert.True(session.Audio.Count > 0);
        Assert.Contains(host.Log, e => e.EventId.Id == 383);
        await session.CloseAsync();
        await host.Services.GetRequiredService<PhoneAgent.Model.Gemini.IGeminiEmulatorEndpoint>().GetUriAsync(CancellationToken.None);
    }
}
