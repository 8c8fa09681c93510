using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Model;
using PhoneAgent.Support;
using PhoneAgent.Telephony;
using PhoneAgent.Telephony.MediaStreams;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

/// <summary>
/// One live phone call: joins the Twilio media stream and the model session until one of them ends.
/// </summary>
/// <remarks>
/// <code>
///  Twilio WS ─► CallerAudio ─► UpstreamAudioPump (μ-law → 16 kHz, silence fill) ─► model.SendAudio ─────► model WS
///            ─► Events (dtmf, marks, stop) ─► StreamEventsAsync (dtmf → text)
///  model WS ─► Audio lane ─► DownstreamAudioPump (24 → 8 kHz, μ-law, frames) ─► PlayoutPacer (lead ≤ 200 ms) ─► Twilio WS
///           ─► Events lane ─► ModelEventsAsync: interrupted → clear + heard-text note; turnComplete; tool calls → ToolInvoker
///  CallWatchdogs (idle, stall, max duration) and ICallControl (end_call, connect_to_human) ─► RequestEnd
/// </code>
/// (1) Start the pumps and loops; (2) greet at the later of setupComplete and <c>start</c> (the handler runs after
/// <c>start</c>); (3) the first of Twilio <c>stop</c>, Twilio socket loss, the model session ending for good, a
/// deliberate end or host shutdown decides the <see cref="CallEndReason"/> and the <see cref="NextAction"/>;
/// (4) stop tools, timers and loops, close the model session, close the Twilio socket when we end the call, store the
/// transcript and report once.
/// </remarks>
internal sealed partial class CallSession : ICallControl, IWatchdogTarget, IAsyncDisposable
{
    private readonly MediaStreamSession _media;
    private readonly TwilioMediaStream _stream;
    private readonly AgentProfile _profile;
    private readonly IRealtimeModelSession _model;
    private readonly CallSessionContext _context;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly BridgeMetrics _metrics;
    private readonly PlayoutPacer _pacer;
    private readonly DownstreamAudioPump _downstream;
    private readonly UpstreamAudioPump _upstream;
    private readonly ToolInvoker _tools;
    private readonly CallWatchdogs _watchdogs;
    private readonly CallTranscript _transcript;
    private readonly byte[] _holdCue;
    private readonly TaskCompletionSource<(CallEndReason Reason, NextAction? Action)> _endRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _twilioStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly long _started;

    // Guarded by _gate.
    private HangupPlan? _hangup;
    private long _latestModelTurn = -1;
    private string? _pendingNote;
    private long _pendingNoteAfterTurn;
    private long _lastCompletedTurn = -1;
    private List<string>? _pendingEffectNotes;
    private bool _over;
    private long _tokensUsed;
    private int _bargeIns;

    public CallSession(MediaStreamSession media, IRealtimeModelSession model, CallSessionContext context)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        _media = media;
        _stream = media.Stream;
        _profile = media.Profile;
        _model = model;
        _context = context;
        _timeProvider = context.TimeProvider;
        _metrics = context.Metrics;
        _logger = context.LoggerFactory.CreateLogger<CallSession>();
        _started = _timeProvider.GetTimestamp();
        var options = context.Options;

        _pacer = new PlayoutPacer(new TwilioPlayoutSink(_stream, _metrics, _timeProvider), _timeProvider, options.PlayoutLead, options.MaxBufferedAgentAudio, _metrics, options.PlayoutStartBuffer, options.PlayoutStartMaxWait);
        _downstream = new DownstreamAudioPump(_pacer, _timeProvider, _metrics, model.OutputSampleRate) { TurnStarted = OnModelTurnStarted };
        _upstream = new UpstreamAudioPump(model.InputSampleRate, pcm => model.SendAudio(pcm.Span), model.SendAudioStreamEnd, options, _timeProvider, _metrics);
        _holdCue = context.HoldCues.For(_profile.Tools.HoldCue);
        _tools = new ToolInvoker(
            context.Tools,
            _profile.Tools.Enabled,
            new ToolCallContext(media.Call.CallSid, _profile.Name, media.Call.From, this) { CallerAttestation = media.Call.CallerAttestation },
            _timeProvider,
            _holdCue.Length > 0 ? _profile.Tools.HoldCue.After : null,
            new ToolInvokerCallbacks(model.SendToolResult, OnHoldCue, _metrics.ToolCall, OnLateToolEffect),
            context.LoggerFactory.CreateLogger<ToolInvoker>());
        _watchdogs = new CallWatchdogs(_timeProvider, _profile.Limits, this);
        _transcript = new CallTranscript(_timeProvider, context.LogTranscripts, _logger);
    }

    public string CallSid => _media.Call.CallSid;

    /// <summary>The downstream pump (tests look at its resampler and pacer).</summary>
    internal DownstreamAudioPump Downstream => _downstream;

    internal UpstreamAudioPump Upstream => _upstream;

    internal CallWatchdogs Watchdogs => _watchdogs;

    internal int BargeIns => Volatile.Read(ref _bargeIns);

    private TimeSpan Elapsed => _timeProvider.GetElapsedTime(_started);

    /// <summary>Runs the call until it ends; never throws for a call that merely ended.</summary>
    public async Task<CallEndReason> RunAsync(CancellationToken aborted)
    {
        using var scope = _logger.BeginScope(new KeyValuePair<string, object>[] { new("CallSid", CallSid), new("ModelSession", _model.Id) });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _metrics.CallStarted();
        Log.Started(_logger, _media.Ordinal, _profile.Name, _context.Options.PlayoutLead.TotalMilliseconds);

        // :: Step 1: pumps and loops.
        var upstream = _upstream.RunAsync(_stream.CallerAudio, cts.Token);
        var downstream = _downstream.RunAsync(_model.Audio, cts.Token);
        var modelEvents = ModelEventsAsync(cts.Token);
        var streamEvents = StreamEventsAsync(cts.Token);
        _watchdogs.Start();

        // :: Step 2: the greeting, at the later of setupComplete and start (start has come: the handler runs after it).
        var greeting = GreetAsync(cts.Token);

        // :: Step 3: the first to finish decides.
        // The drain deadline passed: the caller hears the apology and goes to the profile's fallback, never silence.
        using var stopping = _context.Stopping.Register(static s => ((CallSession)s!).RequestEnd(CallEndReason.ServerShutdown, new NextAction.Fallback("instance drained: PhoneAgent:DrainTimeout reached")), this);
        var first = await Task.WhenAny(_twilioStopped.Task, _stream.Completion, _model.Completion, _endRequested.Task);
        var (reason, action) = Decide(first);
        Log.Ending(_logger, CallEndReasons.Tag(reason), action?.GetType().Name ?? "none");

        // :: Step 4: clean up both sides.
        lock (_gate)
        {
            _over = true;
        }

        _watchdogs.Dispose();
        _tools.CancelAll();
        await cts.CancelAsync();
        if (action is not null && !_stream.Completion.IsCompleted)
        {
            await _media.EndAsync(action, CancellationToken.None);
        }

        await CloseModelAsync();
        await ObserveAsync(upstream, downstream, modelEvents, streamEvents, greeting);
        await _tools.DisposeAsync();
        await StoreTranscriptAsync();
        _metrics.CallEnded(reason);
        Log.Ended(_logger, CallEndReasons.Tag(reason), Elapsed.TotalSeconds, _upstream.Frames, _upstream.SilenceFrames, _pacer.Sent, _bargeIns, _model.Counters.Reconnects);
        return reason;
    }

    /// <summary>Ends the call on purpose (first request wins).</summary>
    public void RequestEnd(CallEndReason reason, NextAction action) => _endRequested.TrySetResult((reason, action));

    public async ValueTask DisposeAsync()
    {
        _watchdogs.Dispose();
        await _tools.DisposeAsync();
        _upstream.Dispose();
        _downstream.Dispose();
        _pacer.Dispose();
    }

    private (CallEndReason, NextAction?) Decide(Task first)
    {
        if (first == _endRequested.Task)
        {
            return _endRequested.Task.Result;
        }

        if (first == _twilioStopped.Task)
        {
            return (CallEndReason.CallerHungUp, null);
        }

        if (first == _stream.Completion)
        {
            return _stream.Completion.Result == StreamEndReason.Stopped ? (CallEndReason.CallerHungUp, null) : (CallEndReason.TwilioSocketLost, null);
        }

        var end = _model.Completion.Result;
        Log.ModelEnded(_logger, end.Reason, end.CloseCode, end.CloseReason ?? "");
        return (CallEndReason.ModelLost, new NextAction.Fallback($"model session ended: {end.Reason}"));
    }

    private async Task GreetAsync(CancellationToken cancellationToken)
    {
        // A stream after an unanswered transfer opens with what happened instead of a greeting (read while the model connects).
        var transfer = _media.Ordinal > 1 ? TransferReturnNote.TransferBefore(_media.Call, _media.Ordinal) : null;
        var handoff = transfer is null ? Task.FromResult<HandoffSummary?>(null) : FindHandoffAsync(cancellationToken);
        try
        {
            await _model.Ready.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            Log.ModelNotReady(_logger, e.Message);
            RequestEnd(CallEndReason.ModelLost, new NextAction.Fallback("model session did not start"));
            return;
        }

        string text;
        if (_media.Ordinal == 1)
        {
            text = $"[The phone call has just connected. Greet the caller now by saying exactly: \"{_profile.AiDisclosure} {_profile.Greeting}\" Then wait for their answer.]";
            _transcript.Event("greeting requested");
        }
        else if (transfer is not null)
        {
            var outcome = TransferOutcome.Latest(_media.Call);
            text = TransferReturnNote.Build(_profile.Transfer.WhenUnanswered, outcome, await handoff);
            _transcript.Event($"back from an unanswered transfer ({outcome?.Status ?? "unknown"}): agent told");
            Log.BackFromTransfer(_logger, outcome?.Status ?? "unknown", _profile.Transfer.WhenUnanswered);
        }
        else
        {
            text = "[The phone line dropped for a moment and is back. Say briefly that you are back, then continue the conversation.]";
            _transcript.Event("reconnected: greeting requested");
        }

        _model.SendText(text);
        _watchdogs.AwaitModel();
        Log.Greeting(_logger, _timeProvider.GetElapsedTime(_started).TotalMilliseconds);
    }

    private async Task<HandoffSummary?> FindHandoffAsync(CancellationToken cancellationToken)
    {
        if (_context.Handoffs is null)
        {
            return null;
        }

        try
        {
            return await _context.Handoffs.FindLatestHandoffAsync(CallSid, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.HandoffNotRead(_logger, e);
            return null;
        }
    }

    private async Task CloseModelAsync()
    {
        try
        {
            await _model.CloseAsync(CancellationToken.None).AsTask().WaitAsync(_context.Options.CloseTimeout, _timeProvider);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            Log.ModelCloseSlow(_logger);
        }
    }

    private async Task ObserveAsync(params Task[] tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.WaitAsync(_context.Options.CloseTimeout, _timeProvider);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // Cancelled with the call.
            }
            catch (Exception e)
            {
                Log.LoopFailed(_logger, e);
            }
        }
    }

    private async Task StoreTranscriptAsync()
    {
        var playback = _stream.Playback;
        var entries = _transcript.Finish(turn =>
        {
            var state = playback.GetTurn(turn);
            if (state.Finished)
            {
                return 1;
            }

            var received = _downstream.ReceivedForPlayoutTurn(turn);
            return HeardText.Fraction(state.Heard, received);
        });
        try
        {
            await _context.Calls.AppendTranscriptAsync(CallSid, entries, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.TranscriptNotStored(_logger, e);
        }
    }

    private sealed record HangupPlan(string Reason, CallEndReason EndReason, NextAction Action, long AfterSequence, ITimer Timeout)
    {
        public bool Waiting { get; set; }
    }
}
