using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Bridge;
using PhoneAgent.Calls;
using PhoneAgent.Model;
using PhoneAgent.Telephony.MediaStreams;
using PhoneAgent.Tests.Bridge.Testing;
using PhoneAgent.Tests.Telephony.Testing;
using PhoneAgent.Tools;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tests.Bridge;

/// <summary>A call session over an in-memory Twilio socket (the test plays Twilio) and a scripted model session.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "IAsyncLifetime.DisposeAsync disposes them.")]
public sealed class CallSessionTests : IAsyncLifetime
{
    private readonly StreamHarness _twilio = new();
    private readonly ScriptedModelSession _model = new();
    private readonly InMemoryCallStore _store = new(TimeProvider.System);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly System.Collections.Concurrent.ConcurrentQueue<OutboundMessage> _received = new();
    private CallSession _session = null!;
    private Task<CallEndReason> _run = null!;
    private Task _player = Task.CompletedTask;

    /// <summary>Marks of frames up to this count are echoed as played (Twilio playing instantly); later ones are not.</summary>
    private int _echoUpToFrames = int.MaxValue;

    public async Task InitializeAsync()
    {
        await _twilio.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var call = await _store.GetOrCreateAsync(new NewCall("CA1", "AC1", "+15550001111", "+15550002222", "test", now), default);
        await _store.IssueStreamAsync("CA1", 1, now, now.AddMinutes(1), default);
        var profile = new AgentProfile { Name = "test", AiDisclosure = "You are speaking with an automated assistant.", Greeting = "Thanks for calling." };
        var media = new MediaStreamSession(_twilio.Stream, call, profile, 1, _store);
        var context = new CallSessionContext(
            new BridgeOptions(), new BridgeMetrics(_services.GetRequiredService<IMeterFactory>()), new ToolRegistry([new EndCallTool()]), new HoldCueAudio(),
            TimeProvider.System, Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning)), _store, LogTranscripts: false, CancellationToken.None);
        _session = new CallSession(media, _model, context);
        _run = _session.RunAsync(_twilio.Token);
        _player = PlayTwilioAsync();
    }

    /// <summary>Plays Twilio: keeps every message, echoes marks, answers the close.</summary>
    private async Task PlayTwilioAsync()
    {
        try
        {
            while (await _twilio.ReadAsync() is { } message)
            {
                _received.Enqueue(message);
                if (message.Event == "mark" && PhoneAgent.Telephony.MediaStreams.PlaybackMark.TryParse(message.MarkName, out var mark) && mark.Frames <= Volatile.Read(ref _echoUpToFrames))
                {
                    await _twilio.EchoMarkAsync(message.MarkName!);
                }
            }

            await _twilio.Client.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", _twilio.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
        {
            // The test is over.
        }
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _twilio.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Greets_with_the_disclosure_once_the_model_is_ready()
    {
        await WaitUntilAsync(() => !_model.Texts.IsEmpty);
        var greeting = Assert.Single(_model.Texts);
        Assert.Contains("You are speaking with an automated assistant. Thanks for calling.", greeting, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_presses_reach_the_model_as_text()
    {
        await _twilio.SendTextAsync("""{"event":"dtmf","streamSid":"MZ0123456789abcdef0123456789abcdef","sequenceNumber":"3","dtmf":{"track":"inbound_track","digit":"3"}}""");
        await WaitUntilAsync(() => _model.Texts.Any(t => t == "[the caller pressed 3]"));
    }

    [Fact]
    public async Task Model_lost_for_good_sends_the_call_to_the_fallback()
    {
        _model.End(ModelSessionEndReason.ReconnectFailed);

        Assert.Equal(CallEndReason.ModelLost, await _run.WaitAsync(TimeSpan.FromSeconds(10)));
        var call = await _store.FindAsync("CA1", default);
        Assert.IsType<NextAction.Fallback>(call!.CurrentStream!.NextAction);
        await _player.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Twilio_stop_ends_the_call_as_a_hang_up()
    {
        await _twilio.SendTextAsync("""{"event":"stop","sequenceNumber":"5","streamSid":"MZ0123456789abcdef0123456789abcdef","stop":{"accountSid":"AC1","callSid":"CA1"}}""");
        Assert.Equal(CallEndReason.CallerHungUp, await _run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Barge_in_clears_twilio_and_tells_the_model_what_the_caller_heard()
    {
        Volatile.Write(ref _echoUpToFrames, 20);
        _model.Emit(new OutputTranscript(1, " aaa bbb ccc ddd eee fff ggg hhh iii jjj", false));
        for (var chunk = 0; chunk < 5; chunk++)
        {
            _model.Speak(1, TimeSpan.FromMilliseconds(200));
        }

        await WaitUntilAsync(() => _twilio.Stream.Playback.FramesHeard(1) == 20);
        _model.Emit(new Interrupted(1));

        await WaitUntilAsync(() => _received.Any(m => m.Event == "clear"));
        await WaitUntilAsync(() => !_model.Contents.IsEmpty);
        var note = Assert.Single(_model.Contents);
        Assert.False(note.TurnComplete);
        Assert.Equal(ModelRole.Model, note.Turns[0].Role);
        Assert.Equal("[interrupted: the caller heard only 'aaa bbb ccc ddd']", note.Turns[0].Text);
        await Task.Delay(300);
        Assert.DoesNotContain(_received.SkipWhile(m => m.Event != "clear"), m => m.Event == "media");
    }

    [Fact]
    public async Task End_call_hangs_up_once_the_goodbye_has_played()
    {
        _model.Emit(new ToolCallRequested("fc1", EndCallTool.Name, JsonDocument.Parse("""{"reason":"done"}""").RootElement));
        await WaitUntilAsync(() => !_model.ToolResults.IsEmpty);
        var last = _model.Speak(2, TimeSpan.FromMilliseconds(300));
        _model.Emit(new TurnComplete(2, last));

        Assert.Equal(CallEndReason.AgentHungUp, await _run.WaitAsync(TimeSpan.FromSeconds(10)));
        var call = await _store.FindAsync("CA1", default);
        Assert.IsType<NextAction.Hangup>(call!.CurrentStream!.NextAction);
        Assert.Contains(call.Transcript, e => e.Text.Contains("hang-up armed", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(5);
        }
    }
}
