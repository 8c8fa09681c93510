using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Bridge;
using PhoneAgent.Calls;
using PhoneAgent.Model;
using PhoneAgent.Support;
using PhoneAgent.Telephony.MediaStreams;
using PhoneAgent.Tests.Bridge.Testing;
using PhoneAgent.Tests.Telephony.Testing;
using PhoneAgent.Tests.Testing;
using PhoneAgent.Tools;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tests.Bridge;

/// <summary>
/// The bridge's side of a transfer: <c>connect_to_human</c> ends the stream with the profile's transfer only after the
/// agent's hand-off turn has played; a stream back from an unanswered transfer opens with what happened; and a tool
/// call cut off by a model reconnect that committed after all is reported to the model and the audit log.
/// </summary>
public sealed class TransferSessionTests
{
    private static readonly JsonElement HandOffArguments = JsonDocument.Parse(
        """{"reason":"refund above the limit","summary":"Verified caller wants 500 USD back on order A1001.","target":"+19005550000"}""").RootElement;

    private readonly ListAuditLog _audit = new();
    private readonly ListHandoffStore _handoffs = new();
    private readonly MapVerificationStore _verifications = new();

    [Fact]
    public async Task Connect_to_human_transfers_to_the_profile_target_only_after_the_hand_off_turn_played()
    {
        _verifications.Calls["CA1"] = new CallVerification("CA1", "C-1001", 0, DateTimeOffset.UtcNow, null);
        var profile = Profile(new TransferSettings { Action = TransferAction.Dial, Target = "+15005550199", Timeout = TimeSpan.FromSeconds(25) });
        await using var call = await SessionHarness.StartAsync(profile, Tools(profile), _audit, _handoffs, echoMarks: false);

        call.Model.Emit(new ToolCallRequested("fc1", ConnectToHumanTool.Name, HandOffArguments));
        var answer = await SessionHarness.WaitForAsync(() => call.Model.ToolResults.FirstOrDefault(r => r.CallId == "fc1"));
        Assert.Equal(ConnectToHumanTool.Answer, answer.Output!.Value.GetString());
        var handoff = Assert.Single(_handoffs.Handoffs);
        Assert.Equal(new HandoffSummary("CA1", "refund above the limit", "Verified caller wants 500 USD back on order A1001.", "C-1001", "+15005550199", handoff.CreatedAt), handoff);
        var audited = Assert.Single(_audit.Entries);
        Assert.Equal(("connect_to_human", "fc1", "transferred", "C-1001"), (audited.Tool, audited.ToolCallId, audited.Outcome, audited.CustomerId));

        // The agent says it is putting the caller through; Twilio has not played it yet.
        var last = call.Model.Speak(2, TimeSpan.FromMilliseconds(400));
        call.Model.Emit(new TurnComplete(2, last));
        await SessionHarness.WaitForAsync(() => call.HeldMarks >= 1 ? "marks" : null);
        await Task.Delay(300);
        Assert.False(call.Run.IsCompleted);
        Assert.Null((await call.Store.FindAsync("CA1", default))!.CurrentStream!.NextAction);

        call.PlayMarks();

        Assert.Equal(CallEndReason.Transferred, await call.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        var record = (await call.Store.FindAsync("CA1", default))!;
        var transfer = Assert.IsType<NextAction.Transfer>(record.CurrentStream!.NextAction);
        Assert.Equal(new NextAction.Transfer(ConnectToHumanTool.TransferReason, TransferAction.Dial, "+15005550199", TimeSpan.FromSeconds(25)), transfer);
        Assert.Contains(record.Transcript, e => e.Text.Contains("transfer armed: dial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_transfer_target_the_agent_is_told_to_offer_a_callback_and_the_call_goes_on()
    {
        var profile = Profile(new TransferSettings { Target = null });
        await using var call = await SessionHarness.StartAsync(profile, Tools(profile), _audit, _handoffs, echoMarks: true);

        call.Model.Emit(new ToolCallRequested("fc1", ConnectToHumanTool.Name, HandOffArguments));
        var answer = await SessionHarness.WaitForAsync(() => call.Model.ToolResults.FirstOrDefault(r => r.CallId == "fc1"));
        var last = call.Model.Speak(2, TimeSpan.FromMilliseconds(200));
        call.Model.Emit(new TurnComplete(2, last));
        await Task.Delay(500);

        Assert.Equal(ConnectToHumanTool.NoTarget, answer.Error);
        Assert.False(call.Run.IsCompleted);
        Assert.Empty(_handoffs.Handoffs);
        var audited = Assert.Single(_audit.Entries);
        Assert.Equal(("refused", "no-transfer-target"), (audited.Outcome, audited.Reason));
    }

    [Theory]
    [InlineData("agent", "offer to arrange a callback, and otherwise carry on helping them")]
    [InlineData("callback", "ask when and on which number they would like to be called back, then schedule it. Do not try to transfer them again.")]
    public async Task A_stream_back_from_an_unanswered_transfer_opens_with_the_outcome_and_the_summary(string whenUnanswered, string instruction)
    {
        var profile = Profile(new TransferSettings { Action = TransferAction.Dial, Target = "+15005550199", WhenUnanswered = Enum.Parse<TransferFallback>(whenUnanswered, ignoreCase: true) });
        await _handoffs.SaveHandoffAsync(new HandoffSummary("CA1", "refund above the limit", "Wants 500 USD back on A1001.", "C-1001", "+15005550199", DateTimeOffset.UtcNow), default);
        await using var call = await SessionHarness.StartAsync(profile, Tools(profile), _audit, _handoffs, echoMarks: true, prepare: async store =>
        {
            var now = DateTimeOffset.UtcNow;
            await store.ClaimStreamAsync("CA1", 1, "MZ1", now, default);
            await store.TrySetNextActionAsync("CA1", 1, new NextAction.Transfer(ConnectToHumanTool.TransferReason, TransferAction.Dial, "+15005550199", TimeSpan.FromSeconds(30)), default);
            await store.AddStatusAsync("CA1", new CallStatusEvent("connect-action", "transfer", now), default);
            await store.AddStatusAsync("CA1", new CallStatusEvent("dial-action", "not-reached", now, "DialCallStatus=busy"), default);
            await store.IssueStreamAsync("CA1", 2, now, now.AddMinutes(1), default);
            return 2;
        });

        var opening = await SessionHarness.WaitForAsync(() => call.Model.Texts.FirstOrDefault());

        Assert.StartsWith("[You tried to transfer the caller to a human colleague, but the line was busy. The caller is back on the line with you.", opening, StringComparison.Ordinal);
        Assert.Contains("reason \"refund above the limit\"; summary \"Wants 500 USD back on A1001.\"", opening, StringComparison.Ordinal);
        Assert.Contains(instruction, opening, StringComparison.Ordinal);
        Assert.DoesNotContain("Greet the caller", opening, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_after_a_plain_reconnect_still_says_it_is_back()
    {
        var profile = Profile(new TransferSettings { Target = "support" });
        await using var call = await SessionHarness.StartAsync(profile, Tools(profile), _audit, _handoffs, echoMarks: true, prepare: async store =>
        {
            var now = DateTimeOffset.UtcNow;
            await store.ClaimStreamAsync("CA1", 1, "MZ1", now, default);
            await store.TrySetNextActionAsync("CA1", 1, new NextAction.Reconnect("socket lost"), default);
            await store.IssueStreamAsync("CA1", 2, now, now.AddMinutes(1), default);
            return 2;
        });

        var opening = await SessionHarness.WaitForAsync(() => call.Model.Texts.FirstOrDefault());

        Assert.StartsWith("[The phone line dropped for a moment and is back.", opening, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_call_cut_off_by_a_model_reconnect_is_never_answered_but_its_commit_is_reported()
    {
        var refund = new CommitsWhenToldTool();
        var profile = Profile(new TransferSettings { Target = "support" }, CommitsWhenToldTool.Name);
        await using var call = await SessionHarness.StartAsync(profile, [refund], _audit, _handoffs, echoMarks: true);

        call.Model.Emit(new ToolCallRequested("fc7", CommitsWhenToldTool.Name, JsonDocument.Parse("""{"order_id":"A1001","amount":25}""").RootElement));
        await refund.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        call.Model.Emit(new ToolCallCancelled(["fc7"], ToolCancelReason.ConnectionLost));
        call.Model.Emit(new Reconnecting(ModelReconnectCause.TransportLost, null, null));
        call.Model.Emit(new SessionResumed(ModelResumeKind.Resumed, TimeSpan.FromMilliseconds(300)));
        await refund.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The resumed model is speaking: the note waits for its turn to end, so it never cuts the agent off.
        var speaking = call.Model.Speak(3, TimeSpan.FromMilliseconds(200));
        await SessionHarness.WaitForAsync(() => call.MediaSent > 0 ? "playing" : null);
        refund.Commit.SetResult();
        var audited = await SessionHarness.WaitForAsync(() => _audit.Entries.FirstOrDefault());
        await Task.Delay(200);
        Assert.Empty(call.Model.Contents);
        call.Model.Emit(new TurnComplete(3, speaking));

        var note = await SessionHarness.WaitForAsync(() => call.Model.Contents.FirstOrDefault());
        Assert.False(note.TurnComplete);
        Assert.Equal(ModelRole.Model, note.Turns[0].Role);
        Assert.Equal(
            $"[note: the {CommitsWhenToldTool.Name} call made just before the connection was renewed went through after all: refunded 25.00 USD on order A1001. Its result never reached you. Do not repeat it, and tell the caller if it matters to them.]",
            note.Turns[0].Text);
        Assert.DoesNotContain(call.Model.ToolResults, r => r.CallId == "fc7");
        Assert.Equal(
            ("CA1", "fc7", CommitsWhenToldTool.Name, "committed-after-reconnect", "connection-lost", "refunded 25.00 USD on order A1001"),
            (audited.CallSid, audited.ToolCallId, audited.Tool, audited.Outcome, audited.Reason, audited.Detail));
    }

    private static AgentProfile Profile(TransferSettings transfer, params string[] tools) => new()
    {
        Name = "test",
        AiDisclosure = "You are speaking with an automated assistant.",
        Greeting = "Thanks for calling.",
        Transfer = transfer,
        Tools = new ToolSettings { Enabled = tools.Length == 0 ? [ConnectToHumanTool.Name] : [.. tools] },
    };

    private List<IToolHandler> Tools(AgentProfile profile) =>
    [
        new ConnectToHumanTool(new AgentProfileCatalog([profile], profile.Name), _handoffs, _audit, _verifications, TimeProvider.System, NullLogger<ConnectToHumanTool>.Instance),
    ];

    /// <summary>A refund-like tool that ignores its token: it commits when the test says so, whatever happened meanwhile.</summary>
    private sealed class CommitsWhenToldTool : IToolHandler
    {
        public const string Name = "refund_test";

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Commit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(Name, "Refunds an order (test).", """{"type":"object","properties":{}}""") with { Timeout = TimeSpan.FromSeconds(20) };

        public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
            Started.TrySetResult();
            await Commit.Task;
            return ToolResult.Success("refunded") with { Effect = "refunded 25.00 USD on order A1001" };
        }
    }

    /// <summary>A call session on stream <c>ordinal</c> of call CA1 over an in-memory Twilio socket and a scripted model.</summary>
    private sealed class SessionHarness : IAsyncDisposable
    {
        private readonly StreamHarness _twilio = new();
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly ConcurrentQueue<string> _held = new();
        private CallSession _session = null!;
        private Task _player = Task.CompletedTask;
        private readonly SemaphoreSlim _send = new(1, 1);
        private volatile bool _echo;
        private int _media;

        public ScriptedModelSession Model { get; } = new();

        public InMemoryCallStore Store { get; } = new(TimeProvider.System);

        public Task<CallEndReason> Run { get; private set; } = null!;

        /// <summary>Marks Twilio has received but not yet echoed (the audio is still "playing").</summary>
        public int HeldMarks => _held.Count;

        public static async Task<SessionHarness> StartAsync(
            AgentProfile profile,
            IReadOnlyList<IToolHandler> tools,
            IToolAuditLog audit,
            IHandoffStore handoffs,
            bool echoMarks,
            Func<InMemoryCallStore, Task<int>>? prepare = null)
        {
            var harness = new SessionHarness { _echo = echoMarks };
            await harness._twilio.StartAsync();
            var now = DateTimeOffset.UtcNow;
            await harness.Store.GetOrCreateAsync(new NewCall("CA1", "AC1", "+15550001111", "+15550002222", profile.Name, now), default);
            await harness.Store.IssueStreamAsync("CA1", 1, now, now.AddMinutes(1), default);
            var ordinal = prepare is null ? 1 : await prepare(harness.Store);
            var record = (await harness.Store.FindAsync("CA1", default))!;
            var media = new MediaStreamSession(harness._twilio.Stream, record, profile, ordinal, harness.Store);
            var context = new CallSessionContext(
                new BridgeOptions(), new BridgeMetrics(harness._services.GetRequiredService<IMeterFactory>()), new ToolRegistry(tools), new HoldCueAudio(),
                TimeProvider.System, NullLoggerFactory.Instance, harness.Store, LogTranscripts: false, CancellationToken.None)
            {
                Audit = audit,
                Handoffs = handoffs,
            };
            harness._session = new CallSession(media, harness.Model, context);
            harness.Run = harness._session.RunAsync(harness._twilio.Token);
            harness._player = harness.PlayTwilioAsync();
            return harness;
        }

        /// <summary>Twilio plays the held audio to its end: every held mark and every later one is echoed.</summary>
        public void PlayMarks()
        {
            _echo = true;
            _ = EchoHeldAsync();
        }

        /// <summary>Echoes the held marks, one sender at a time (the player may hold one just as the test lets go).</summary>
        private async Task EchoHeldAsync()
        {
            await _send.WaitAsync();
            try
            {
                while (_held.TryDequeue(out var mark))
                {
                    await _twilio.EchoMarkAsync(mark);
                }
            }
            finally
            {
                _send.Release();
            }
        }

        /// <summary>Media messages Twilio has received.</summary>
        public int MediaSent => Volatile.Read(ref _media);

        public static async Task<T> WaitForAsync<T>(Func<T?> probe)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                if (probe() is { } value)
                {
                    return value;
                }

                Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
                await Task.Delay(5);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _session.DisposeAsync();
            await _twilio.DisposeAsync();
            await _services.DisposeAsync();
            await _player.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        private async Task PlayTwilioAsync()
        {
            try
            {
                while (await _twilio.ReadAsync() is { } message)
                {
                    if (message.Event == "media")
                    {
                        Interlocked.Increment(ref _media);
                    }

                    if (message.Event == "mark" && message.MarkName is { } name)
                    {
                        _held.Enqueue(name);
                        if (_echo)
                        {
                            await EchoHeldAsync();
                        }
                    }
                }

                await _twilio.Client.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", _twilio.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
            {
                // The test is over.
            }
        }
    }
}
