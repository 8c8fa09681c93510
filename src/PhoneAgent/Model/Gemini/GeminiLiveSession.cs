using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using PhoneAgent.Bridge;
using Polly.Timeout;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// One Gemini Live conversation over one or more WebSockets.
/// </summary>
/// <remarks>
/// <code>
///  SendAudio ─► GeminiOutboundQueue (audio ≤ 2 s, drop oldest) ─┐
///  SendText/Content/ToolResult ─► (control, goes first) ────────┴► active GeminiConnection send loop ─► WS
///  WS ─► receive loop ─► GeminiServerMessageParser ─► OnMessage ─┬► ModelAudioLane (by time, drop oldest) ─► Audio
///                                                                └► Channel&lt;ModelEvent&gt; (never waits) ─► Events
///  connection closed / goAway timing ─► signals ─► supervisor (RunAsync): policy table, Polly pipeline, hand-over
/// </code>
/// (1) <see cref="RunAsync"/> connects with the plan (fresh or resume) through the pipeline; (2) a connection's
/// receive loop calls <see cref="OnReady"/> on setupComplete, which makes it the active connection and starts its send
/// loop (nothing is sent before); (3) <see cref="OnMessage"/> handles every field of each message, in a fixed order;
/// (4) a lost active connection is recovered per <see cref="GeminiClosePolicy"/> (<see cref="RecoverAsync"/>);
/// (5) after goAway, <see cref="HandoverAsync"/> switches sockets at the next resumable handle that follows a
/// turnComplete, or at timeLeft minus the margin; (6) <see cref="Reconnect"/> drops the active connection on request
/// and recovers as for a lost one. Caller audio sent after the newest resumable handle is kept
/// (<see cref="GeminiReplayBuffer"/>) and replayed first on a connection resumed with that handle.
/// </remarks>
internal sealed partial class GeminiLiveSession : IRealtimeModelSession, IReconnectableModelSession, IGeminiConnectionHandler
{
    /// <summary>Assumed <c>timeLeft</c> when a goAway carries none.</summary>
    private static readonly TimeSpan DefaultGoAwayTimeLeft = TimeSpan.FromSeconds(30);

    private readonly ModelSessionConfig _config;
    private readonly GeminiSessionContext _context;
    private readonly GeminiModelCapabilities _capabilities;
    private readonly string _model;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<ModelEvent> _events = Channel.CreateUnbounded<ModelEvent>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Channel<Signal> _signals = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ModelAudioLane _audio;
    private readonly GeminiOutboundQueue _outbound;
    private readonly GeminiReplayBuffer _replay;
    private readonly GeminiConversationLog _conversation = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ModelSessionEnd> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly List<GeminiConnection> _retired = [];
    private readonly Lock _gate = new();
    private Task _supervisor = Task.CompletedTask;

    // Guarded by _gate.
    private GeminiConnection? _active;
    private string? _handle;
    private int _locationIndex;
    private long _turn;
    private TurnState _turnState;
    private long _completedTurn = -1;
    private long _lastSequenceOfTurn = -1;
    private long _nextSequence;
    private bool _goAwayPending;
    private bool _turnCompleteSinceGoAway;
    private ITimer? _goAwayTimer;
    private int _nextLocalCallId;
    private bool _policyStrikeUsed;
    private int _pendingPlanLocation;
    private bool _pendingResume;
    private bool _switching;

    // Supervisor only.
    private bool _seedUsed;
    private int _connectionNumber;

    public GeminiLiveSession(string id, ModelSessionConfig config, string model, GeminiModelCapabilities capabilities, GeminiSessionContext context)
    {
        Id = id;
        _config = config;
        _model = model;
        _capabilities = capabilities;
        _context = context;
        _timeProvider = context.TimeProvider;
        _logger = context.LoggerFactory.CreateLogger<GeminiLiveSession>();
        _audio = new ModelAudioLane(context.Options.MaxBufferedOutputAudio, Counters);
        _outbound = new GeminiOutboundQueue(context.Options.MaxPendingInputAudio, InputSampleRate, Counters);
        _replay = new GeminiReplayBuffer(GeminiReplayBuffer.DefaultCapacity, InputSampleRate, Counters);
        Features = new ModelSessionFeatures(capabilities.MidSessionClientContent, capabilities.NonBlockingTools);
    }

    private enum TurnState
    {
        None = 0,
        Open = 1,
        Interrupted = 2,
        Completed = 3,
    }

    public string Id { get; }

    public int InputSampleRate => 16_000;

    public int OutputSampleRate => GeminiServerMessageParser.DefaultOutputSampleRate;

    public ModelSessionFeatures Features { get; }

    public Task Ready => _ready.Task;

    public ChannelReader<ModelEvent> Events => _events.Reader;

    public ChannelReader<ModelAudioChunk> Audio => _audio;

    public Task<ModelSessionEnd> Completion => _completion.Task;

    public ModelSessionCounters Counters { get; } = new();

    /// <summary>The newest resumable handle (for tests and diagnostics; never logged).</summary>
    internal string? ResumptionHandle
    {
        get
        {
            lock (_gate)
            {
                return _handle;
            }
        }
    }

    internal int ActiveConnectionNumber
    {
        get
        {
            lock (_gate)
            {
                return _active?.Number ?? 0;
            }
        }
    }

    /// <summary>Starts the supervisor (connect in the background).</summary>
    public void Start()
    {
        using var scope = BeginScope();
        Log.Opening(_logger, Id, _model, _context.Endpoints.Backend, _capabilities);
        _supervisor = Task.Run(RunAsync, CancellationToken.None);
    }

    private static readonly Func<ILogger, string, string, IDisposable?> SessionScope =
        LoggerMessage.DefineScope<string, string>("ModelSession {ModelSession} {Label}");

    private IDisposable? BeginScope() => SessionScope(_logger, Id, _config.Label ?? "");

    // ---------------------------------------------------------------- sends (never block)

    public void SendAudio(ReadOnlySpan<byte> pcm) => _outbound.EnqueueAudio(pcm);

    public void SendAudioStreamEnd() => _outbound.EnqueueAudioStreamEnd();

    public void SendText(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        _conversation.Append(ModelRole.User, $"[{text}] ");
        _outbound.EnqueueControl(OutboundKind.Text, text);
    }

    public void SendContent(ModelContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!_capabilities.MidSessionClientContent)
        {
            throw new NotSupportedException($"Model {_model} does not accept conversation content after setup (Gemini:Models:{_model}:MidSessionClientContent); use SendText.");
        }

        foreach (var turn in content.Turns)
        {
            _conversation.Append(turn.Role, turn.Text + " ");
        }

        _outbound.EnqueueControl(OutboundKind.Content, content);
    }

    public void SendToolResult(ModelToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _outbound.EnqueueControl(OutboundKind.ToolResult, result);
    }

    /// <summary>
    /// :: Step 6: drops the active connection and resumes with the newest resumable handle, as after a lost
    /// connection (same pipeline, events <see cref="Reconnecting"/> with <see cref="ModelReconnectCause.Requested"/>
    /// and <see cref="SessionResumed"/>). Ignored while no connection is active (connecting, reconnecting, over).
    /// </summary>
    public void Reconnect(string reason)
    {
        GeminiConnection? active;
        lock (_gate)
        {
            active = _active;
        }

        using var scope = BeginScope();
        if (active is null || _closing.IsCancellationRequested || !_signals.Writer.TryWrite(new Signal.ForceReconnect(active, reason ?? "")))
        {
            Log.ReconnectIgnored(_logger, reason ?? "");
            return;
        }

        Log.ReconnectRequested(_logger, active.Number, reason ?? "");
    }

    /// <summary>Writes one queued item for <paramref name="connection"/>; false drops it (a tool result nobody waits for).</summary>
    private bool Serialize(OutboundItem item, GeminiConnection connection, Utf8JsonWriter writer)
    {
        switch (item.Kind)
        {
            case OutboundKind.Audio:
                GeminiClientMessageWriter.WriteAudio(writer, item.Buffer.AsSpan(0, item.Length));
                _replay.Record(OutboundKind.Audio, item.Buffer.AsSpan(0, item.Length));
                return true;
            case OutboundKind.AudioStreamEnd:
                GeminiClientMessageWriter.WriteAudioStreamEnd(writer);
                _replay.Record(OutboundKind.AudioStreamEnd, default);
                return true;
            case OutboundKind.Text:
                GeminiClientMessageWriter.WriteText(writer, (string)item.Payload!);
                return true;
            case OutboundKind.Content:
                GeminiClientMessageWriter.WriteClientContent(writer, (ModelContent)item.Payload!);
                return true;
            case OutboundKind.ToolResult:
                var result = (ModelToolResult)item.Payload!;
                string? wireId;
                lock (_gate)
                {
                    if (!connection.OpenCalls.Remove(result.CallId, out wireId))
                    {
                        Log.ToolResultDropped(_logger, result.CallId, result.Name, connection.Number);
                        return false;
                    }
                }

                GeminiClientMessageWriter.WriteToolResponse(writer, result, wireId, _capabilities.NonBlockingTools);
                return true;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------- supervisor

    private async Task RunAsync()
    {
        using var scope = BeginScope();
        try
        {
            // :: Step 1: the first connection (a handle in the config resumes an earlier session).
            var plan = _config.ResumptionHandle is { } handle ? GeminiConnectPlan.Resume(handle, 0) : GeminiConnectPlan.Fresh();
            if (!await ConnectWithPolicyAsync(plan, oldOpen: null))
            {
                return;
            }

            while (await _signals.Reader.WaitToReadAsync(_closing.Token))
            {
                while (_signals.Reader.TryRead(out var signal))
                {
                    var goOn = signal switch
                    {
                        Signal.ConnectionClosed closed => await OnConnectionClosedAsync(closed.Connection, closed.Close),
                        Signal.Handover handover => await HandoverAsync(handover.Deadline),
                        Signal.ForceReconnect force => await ForceReconnectAsync(force.Connection, force.Reason),
                        _ => true,
                    };
                    if (!goOn)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.ClosedByClient));
        }
        catch (Exception ex)
        {
            Log.SupervisorFailed(_logger, ex);
            await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.InternalError, Error: ex));
        }
    }

    private async Task<bool> OnConnectionClosedAsync(GeminiConnection connection, GeminiCloseInfo close)
    {
        bool active;
        lock (_gate)
        {
            active = ReferenceEquals(connection, _active);
        }

        if (!active)
        {
            // A retired socket (hand-over, recovery) finishing its close.
            await DisposeRetiredAsync(connection);
            return true;
        }

        return await RecoverAsync(connection, close);
    }

    /// <summary>:: Step 4: the active connection is gone; act on the policy table.</summary>
    private async Task<bool> RecoverAsync(GeminiConnection lost, GeminiCloseInfo close)
    {
        var started = _timeProvider.GetUtcNow();
        var action = GeminiClosePolicy.Decide(GeminiConnectionPhase.Established, close.Kind);
        ModelReconnectCause cause;
        string? handle;
        int location;
        lock (_gate)
        {
            _active = null;
            cause = _goAwayPending ? ModelReconnectCause.GoAwayDeadline : close.CloseCode is null ? ModelReconnectCause.TransportLost : ModelReconnectCause.ClosedByProvider;
            ResetGoAway();
            if (_turnState == TurnState.Open)
            {
                _turnState = TurnState.Interrupted;
            }

            handle = _handle;
            location = _locationIndex;
            if (action == GeminiCloseAction.ReconnectWithHandleOnce)
            {
                if (_policyStrikeUsed)
                {
                    action = GeminiCloseAction.Fatal;
                }

                _policyStrikeUsed = true;
            }
        }

        await lost.StopSendingAsync(_context.Options.CloseTimeout);
        Log.ConnectionLost(_logger, lost.Number, close.CloseCode, close.CloseReason ?? "", close.TransportError?.Message ?? "", action);
        if (action == GeminiCloseAction.Fatal)
        {
            CancelOpenCalls(lost);
            await DisposeRetiredAsync(lost);
            await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.RejectedByProvider, close.CloseCode, close.CloseReason, close.TransportError));
            return false;
        }

        return await ResumeAfterLossAsync(lost, new Reconnecting(cause, close.CloseCode, close.CloseReason), handle, location, started);
    }

    /// <summary>:: Step 6: a requested reconnect drops the connection (abort, no close handshake) and recovers as after a loss.</summary>
    private async Task<bool> ForceReconnectAsync(GeminiConnection target, string reason)
    {
        var started = _timeProvider.GetUtcNow();
        string? handle;
        int location;
        lock (_gate)
        {
            if (!ReferenceEquals(target, _active))
            {
                // Already replaced (a hand-over or a recovery ran since the request).
                return true;
            }

            _active = null;
            ResetGoAway();
            if (_turnState == TurnState.Open)
            {
                _turnState = TurnState.Interrupted;
            }

            handle = _handle;
            location = _locationIndex;
        }

        Log.ForcedReconnect(_logger, target.Number, reason, handle is not null);

        // Its receive loop reports the close later; the connection is no longer active, so that only disposes it.
        target.Abort();
        await target.StopSendingAsync(_context.Options.CloseTimeout);
        return await ResumeAfterLossAsync(target, new Reconnecting(ModelReconnectCause.Requested, null, reason), handle, location, started);
    }

    /// <summary>The common part of recovery: report, cancel the lost calls, resume (or seed) through the pipeline.</summary>
    private async Task<bool> ResumeAfterLossAsync(GeminiConnection lost, Reconnecting reconnecting, string? handle, int location, DateTimeOffset started)
    {
        Counters.Reconnected();
        _events.Writer.TryWrite(reconnecting);

        // Calls of the lost connection will never be expected by the resumed model (a handle is only resumable
        // when no call is running): tell the consumer not to answer them.
        CancelOpenCalls(lost);
        var plan = handle is not null ? GeminiConnectPlan.Resume(handle, location) : GeminiConnectPlan.FreshSeeded(location);
        var ok = await ConnectWithPolicyAsync(plan, oldOpen: null);
        await DisposeRetiredAsync(lost);
        if (ok)
        {
            var kind = plan.Handle is not null ? ModelResumeKind.Resumed : ModelResumeKind.FreshSeeded;
            _events.Writer.TryWrite(new SessionResumed(kind, _timeProvider.GetUtcNow() - started));
            Log.Resumed(_logger, kind, _timeProvider.GetUtcNow() - started);
        }

        return ok;
    }

    /// <summary>:: Step 5: planned switch after goAway.</summary>
    private async Task<bool> HandoverAsync(bool deadline)
    {
        GeminiConnection? old;
        string? handle;
        int location;
        lock (_gate)
        {
            if (!_goAwayPending || _active is null)
            {
                return true;
            }

            ResetGoAway();
            old = _active;
            handle = _handle;
            location = _locationIndex;

            // Handles the old socket still sends are not taken from here on: the replay buffer must stay relative
            // to the handle the new connection resumes with.
            _switching = true;
        }

        var started = _timeProvider.GetUtcNow();
        Log.HandoverStarting(_logger, old.Number, deadline ? "timeLeft minus margin reached" : "resumable handle after turnComplete", handle is not null);

        // Stop sending on the old socket: caller audio waits in the bounded queue until the new one is ready.
        await old.StopSendingAsync(_context.Options.CloseTimeout);
        var plan = handle is not null ? GeminiConnectPlan.Resume(handle, location) : GeminiConnectPlan.FreshSeeded(location);
        if (!await ConnectWithPolicyAsync(plan, oldOpen: old))
        {
            return false;
        }

        CancelOpenCalls(old);
        Counters.HandedOver();
        var kind = plan.Handle is not null ? ModelResumeKind.Handover : ModelResumeKind.FreshSeeded;
        var gap = _timeProvider.GetUtcNow() - started;
        _events.Writer.TryWrite(new SessionResumed(kind, gap));
        Log.HandoverDone(_logger, old.Number, ActiveConnectionNumber, kind, gap);

        // Close the old socket only now that the new one has setupComplete.
        await old.CloseAsync(_context.Options.CloseTimeout, "handover");
        await DisposeRetiredAsync(old);
        return true;
    }

    /// <summary>
    /// Connects per <paramref name="plan"/> through the backoff pipeline and carries out the non-transient policy
    /// actions (seed fresh, close the old socket and retry the handle, fatal). True once a connection is active.
    /// </summary>
    private async Task<bool> ConnectWithPolicyAsync(GeminiConnectPlan plan, GeminiConnection? oldOpen)
    {
        while (true)
        {
            try
            {
                await _context.ConnectPipeline.ExecuteAsync(
                    static async (state, ct) => await state.Session.AttemptAsync(state.Plan, state.OldOpen, ct),
                    (Session: this, Plan: plan, OldOpen: oldOpen),
                    _closing.Token);
                return true;
            }
            catch (GeminiConnectException ex) when (!ex.IsTransient)
            {
                switch (ex.Action)
                {
                    case GeminiCloseAction.SeedFresh when !_seedUsed:
                        _seedUsed = true;
                        Log.PolicyAction(_logger, ex.CloseCode, ex.CloseReason ?? "", ex.Phase, ex.Action);
                        plan.SeedInstead();
                        continue;
                    case GeminiCloseAction.CloseOldAndRetryHandle:
                        Log.PolicyAction(_logger, ex.CloseCode, ex.CloseReason ?? "", ex.Phase, ex.Action);
                        if (oldOpen is not null)
                        {
                            await oldOpen.CloseAsync(_context.Options.CloseTimeout, "handover");
                            oldOpen = null;
                        }

                        continue;
                    default:
                        var everReady = _ready.Task.IsCompletedSuccessfully;
                        await FinishAsync(new ModelSessionEnd(
                            everReady ? ModelSessionEndReason.RejectedByProvider : ModelSessionEndReason.SetupRejected, ex.CloseCode, ex.CloseReason, ex));
                        return false;
                }
            }
            catch (GeminiConnectException ex)
            {
                await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.ReconnectFailed, ex.CloseCode, ex.CloseReason, ex));
                return false;
            }
            catch (TimeoutRejectedException ex)
            {
                await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.ReconnectFailed, Error: ex));
                return false;
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.ClosedByClient));
                return false;
            }
            catch (GeminiCredentialsException ex)
            {
                await FinishAsync(new ModelSessionEnd(ModelSessionEndReason.AuthenticationFailed, Error: ex.InnerException ?? ex));
                return false;
            }
        }
    }

    /// <summary>One attempt: resolve the endpoint (and token), build the setup, connect and wait for setupComplete.</summary>
    private async Task AttemptAsync(GeminiConnectPlan plan, GeminiConnection? oldOpen, CancellationToken cancellationToken)
    {
        var number = ++_connectionNumber;
        var previewFeatures =
            ((_config.AffectiveDialog ?? _context.Defaults.AffectiveDialog) && _capabilities.AffectiveDialog)
            || ((_config.ProactiveAudio ?? _context.Defaults.ProactiveAudio) && _capabilities.ProactiveAudio);
        GeminiConnectTarget target;
        try
        {
            target = await _context.Endpoints.ResolveAsync(_model, plan.LocationIndex, previewFeatures, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new GeminiCredentialsException($"Could not prepare the connection to Gemini ({ex.GetType().Name}).", ex);
        }

        var setup = GeminiSetupBuilder.Build(_config, _capabilities, target.ModelResource, _context.Defaults, plan.Handle, plan.Seeded ? _conversation.Render() : null);
        var json = SerializeSetup(setup);
        var phase = plan.Handle is null
            ? GeminiConnectionPhase.FreshSetup
            : oldOpen is { Closed.IsCompleted: false } ? GeminiConnectionPhase.ResumeSetupWhileOldOpen : GeminiConnectionPhase.ResumeSetup;

        var connection = new GeminiConnection(number, target, this, _timeProvider, _logger);
        Log.Connecting(_logger, number, target.LogUri, target.ModelResource, phase, plan.ToString());
        try
        {
            lock (_gate)
            {
                _pendingPlanLocation = plan.LocationIndex;
                _pendingResume = plan.Handle is not null;
            }

            await connection.ConnectAsync(json, phase, _context.Options.ConnectTimeout, cancellationToken);
        }
        catch (GeminiConnectException ex)
        {
            // Always log the close reason text.
            Log.ConnectFailed(_logger, number, phase, ex.CloseCode, ex.CloseReason ?? "", ex.Message, ex.Action);
            await connection.DisposeAsync();
            if (ex.Kind == GeminiCloseKind.ConnectRefused && _context.Endpoints.Locations.Count > 1)
            {
                // :: Region fail-over: next location; a handle is bound to its region, so seed a fresh session there.
                plan.LocationIndex = (plan.LocationIndex + 1) % _context.Endpoints.Locations.Count;
                if (plan.Handle is not null)
                {
                    plan.SeedInstead();
                }

                Log.RegionFailover(_logger, _context.Endpoints.Locations[plan.LocationIndex]);
            }

            throw;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static byte[] SerializeSetup(GeminiSetup setup)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            GeminiClientMessageWriter.WriteSetup(writer, setup);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void CancelOpenCalls(GeminiConnection connection)
    {
        string[] ids;
        lock (_gate)
        {
            ids = [.. connection.OpenCalls.Keys];
            connection.OpenCalls.Clear();
        }

        if (ids.Length > 0)
        {
            _events.Writer.TryWrite(new ToolCallCancelled(ids, ToolCancelReason.ConnectionLost));
        }
    }

    private async Task DisposeRetiredAsync(GeminiConnection connection)
    {
        lock (_gate)
        {
            _retired.Remove(connection);
        }

        await connection.DisposeAsync();
    }

    /// <summary>Ends the session: closes sockets, completes the lanes, reports the end once.</summary>
    private async Task FinishAsync(ModelSessionEnd end)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        GeminiConnection? active;
        GeminiConnection[] retired;
        lock (_gate)
        {
            active = _active;
            _active = null;
            retired = [.. _retired];
            _retired.Clear();
            ResetGoAway();
            _switching = false;
        }

        if (active is not null)
        {
            if (end.Reason == ModelSessionEndReason.ClosedByClient)
            {
                await active.CloseAsync(_context.Options.CloseTimeout);
            }

            await active.DisposeAsync();
        }

        foreach (var connection in retired)
        {
            await connection.DisposeAsync();
        }

        _outbound.Complete();
        _replay.Release();
        _signals.Writer.TryComplete();
        if (end.IsFailure)
        {
            Log.SessionFailed(_logger, end.Reason, end.CloseCode, end.CloseReason ?? "", end.Error?.Message ?? "");
        }
        else
        {
            Log.SessionClosed(_logger, Counters.Reconnects, Counters.Handovers, Counters.InputAudioDroppedChunks, Counters.OutputAudioDroppedChunks);
        }

        _events.Writer.TryComplete();
        _audio.Complete();
        _ready.TrySetException(new ModelSessionException(end));
        _ = _ready.Task.Exception; // observed: a session that never became ready reports through Completion too
        _completion.TrySetResult(end);
    }

    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (!_closing.IsCancellationRequested)
        {
            await _closing.CancelAsync();
        }

        await _completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None);
        await _supervisor;
        _audio.DisposeQueued();
        _closing.Dispose();
    }

    // ---------------------------------------------------------------- receive side (connection receive loops)

    /// <summary>:: Step 2: setupComplete on a new connection makes it the active one and starts its sender.</summary>
    public void OnReady(GeminiConnection connection, GeminiServerMessage message)
    {
        bool first;
        OutboundItem[] replay = [];
        lock (_gate)
        {
            if (_closing.IsCancellationRequested)
            {
                return;
            }

            if (_active is { } previous)
            {
                _retired.Add(previous);
            }

            _active = connection;
            _locationIndex = _pendingPlanLocation;
            first = !_ready.Task.IsCompleted;
            _switching = false;
            if (_pendingResume)
            {
                // The caller audio sent after the handle this connection resumed with goes first, ahead of the audio
                // that queued during the switch (no send loop runs yet). Sending records it again, so it stays
                // available until the next resumable handle.
                replay = _replay.Take();
            }
            else
            {
                _replay.Clear();
            }
        }

        if (replay.Length > 0)
        {
            var bytes = 0;
            foreach (var item in replay)
            {
                bytes += item.Length;
            }

            Log.ReplayingCallerAudio(_logger, connection.Number, replay.Length, TimeSpan.FromSeconds(bytes / (2.0 * InputSampleRate)));
            _outbound.EnqueueReplay(replay);
        }

        connection.StartSending(_outbound, Serialize);
        Log.Ready(_logger, connection.Number, connection.ProviderSessionId ?? "");
        if (first)
        {
            _events.Writer.TryWrite(new SessionReady(connection.ProviderSessionId));
            _ready.TrySetResult();
        }
    }

    /// <summary>:: Step 3: every field of one message, in a fixed order (bundled fields are common on 3.x).</summary>
    public void OnMessage(GeminiConnection connection, GeminiServerMessage message)
    {
        if (message.IgnoredFields.Count > 0)
        {
            foreach (var _ in message.IgnoredFields)
            {
                Counters.IgnoredServerField();
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.IgnoredFields(_logger, connection.Number, string.Join(", ", message.IgnoredFields));
            }
        }

        lock (_gate)
        {
            if (!ReferenceEquals(connection, _active))
            {
                if (message.Audio.Count > 0 || message.HasToolCall)
                {
                    Log.LateMessage(_logger, connection.Number, message.Audio.Count, message.FunctionCalls.Count);
                }

                return;
            }

            if (message.HasServerContent)
            {
                HandleServerContent(message);
            }

            if (message.Usage is { } usage)
            {
                _events.Writer.TryWrite(new UsageReported(usage));
            }

            if (message.HasToolCall)
            {
                HandleToolCall(connection, message);
            }

            if (message.HasToolCallCancellation && message.CancelledCallIds.Count > 0)
            {
                foreach (var id in message.CancelledCallIds)
                {
                    connection.OpenCalls.Remove(id);
                }

                _events.Writer.TryWrite(new ToolCallCancelled([.. message.CancelledCallIds], ToolCancelReason.CancelledByModel));
            }

            if (message.HasGoAway)
            {
                HandleGoAway(message.GoAwayTimeLeft);
            }

            if (message.HasResumptionUpdate)
            {
                HandleResumptionUpdate(message);
            }

            if (message.VoiceActivityType is { } activity)
            {
                var started = activity.Contains("START", StringComparison.Ordinal) || activity.EndsWith("_SOS", StringComparison.Ordinal);
                _events.Writer.TryWrite(new VoiceActivityDetected(started, message.VoiceActivityOffset));
            }
        }
    }

    private void HandleServerContent(GeminiServerMessage message)
    {
        if (message.Interrupted)
        {
            // Drop what is queued of the cut turn; bundled audio belongs to it too.
            var discarded = _audio.DiscardTurn(_turn);
            foreach (var _ in message.Audio)
            {
                Counters.InterruptedAudioDiscarded();
            }

            message.DiscardAudio();
            _turnState = TurnState.Interrupted;
            _conversation.Append(ModelRole.Model, " [cut off by the caller]");
            _events.Writer.TryWrite(new Interrupted(_turn));
            Log.InterruptedTurn(_logger, _turn, discarded);
        }

        if (message.Audio.Count > 0)
        {
            OpenTurn();
            foreach (var part in message.Audio)
            {
                var chunk = new ModelAudioChunk(part.Buffer, part.Length, part.SampleRate, _turn, _nextSequence++);
                _lastSequenceOfTurn = chunk.Sequence;
                _audio.Write(chunk);
            }

            message.AudioTaken();
        }

        foreach (var text in message.Texts)
        {
            OpenTurn();
            _events.Writer.TryWrite(new TextReceived(_turn, text.Text, text.Thought));
        }

        if (message.OutputTranscription is { } output)
        {
            if (_turnState != TurnState.Open && !(output.Finished && output.Text is null))
            {
                OpenTurn();
            }

            _conversation.Append(ModelRole.Model, output.Text);
            _events.Writer.TryWrite(new OutputTranscript(_turn, output.Text ?? "", output.Finished));
        }

        if (message.InputTranscription is { } input)
        {
            _conversation.Append(ModelRole.User, input.Text);
            _events.Writer.TryWrite(new InputTranscript(input.Text ?? "", input.Finished));
        }

        if (message.GenerationComplete)
        {
            if (_turnState is TurnState.None or TurnState.Completed)
            {
                OpenTurn();
            }

            _events.Writer.TryWrite(new GenerationComplete(_turn));
        }

        if (message.TurnComplete)
        {
            var sameTurn = _turnState == TurnState.Open || (_turnState == TurnState.Interrupted && _completedTurn != _turn);
            if (!sameTurn)
            {
                // A turn with no output at all (the model chose silence, or a stall).
                OpenTurn();
            }

            _turnState = TurnState.Completed;
            _completedTurn = _turn;
            _conversation.Break(ModelRole.Model);
            _events.Writer.TryWrite(new TurnComplete(_turn, _lastSequenceOfTurn, message.TurnCompleteReason, message.WaitingForInput));
            _policyStrikeUsed = false;
            if (_goAwayPending)
            {
                _turnCompleteSinceGoAway = true;
            }
        }
    }

    private void OpenTurn()
    {
        if (_turnState == TurnState.Open)
        {
            return;
        }

        _turn++;
        _turnState = TurnState.Open;
        _lastSequenceOfTurn = -1;
        _conversation.Break(ModelRole.Model);

        // The model is answering what it heard so far: replaying that audio to a resumed connection would make it
        // answer again. Only the caller audio that no answer has started on yet is kept for replay.
        _replay.Clear();
    }

    private void HandleToolCall(GeminiConnection connection, GeminiServerMessage message)
    {
        OpenTurn();
        foreach (var call in message.FunctionCalls)
        {
            // Calls without an id (old Vertex models) get a local one; the response then goes without id.
            var id = call.Id ?? $"local-{++_nextLocalCallId}";
            connection.OpenCalls[id] = call.Id;
            _conversation.Append(ModelRole.Model, $" [used tool {call.Name}]");
            _events.Writer.TryWrite(new ToolCallRequested(id, call.Name, call.Args));
        }
    }

    private void HandleGoAway(TimeSpan? timeLeft)
    {
        var left = timeLeft ?? DefaultGoAwayTimeLeft;
        _events.Writer.TryWrite(new GoAway(left));
        if (_goAwayPending)
        {
            return;
        }

        _goAwayPending = true;
        _turnCompleteSinceGoAway = false;
        var due = left - _context.Options.GoAwayMargin;
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        Log.GoAwayReceived(_logger, left, due);
        _goAwayTimer = _timeProvider.CreateTimer(static state => ((GeminiLiveSession)state!)._signals.Writer.TryWrite(new Signal.Handover(Deadline: true)), this, due, Timeout.InfiniteTimeSpan);
    }

    private void HandleResumptionUpdate(GeminiServerMessage message)
    {
        if (!message.Resumable || string.IsNullOrEmpty(message.NewHandle))
        {
            // Not a resumable point (generating or running tools): keep the previous handle.
            return;
        }

        if (_switching)
        {
            // A late handle from the socket being replaced: the new connection resumes with the one taken at the
            // start of the hand-over, and the replay buffer is relative to that one.
            return;
        }

        _handle = message.NewHandle;
        _replay.Clear();
        if (_goAwayPending && _turnCompleteSinceGoAway)
        {
            _signals.Writer.TryWrite(new Signal.Handover(Deadline: false));
        }
    }

    private void ResetGoAway()
    {
        _goAwayPending = false;
        _turnCompleteSinceGoAway = false;
        _goAwayTimer?.Dispose();
        _goAwayTimer = null;
    }

    public void OnBadFrame(GeminiConnection connection, GeminiProtocolException error, ReadOnlySpan<byte> frame)
    {
        Counters.BadFrameSkipped();
        Log.BadFrame(_logger, connection.Number, frame.Length, error.Message);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.BadFramePreview(_logger, connection.Number, GeminiServerMessageParser.Preview(frame));
        }
    }

    public void OnClosed(GeminiConnection connection, GeminiCloseInfo close)
    {
        if (connection.IsReady)
        {
            // Always log the close reason text.
            Log.ConnectionClosed(_logger, connection.Number, close.CloseCode, close.CloseReason ?? "", close.TransportError?.Message ?? "", close.ClosedByUs);
            _signals.Writer.TryWrite(new Signal.ConnectionClosed(connection, close));
        }
    }

    private abstract record Signal
    {
        public sealed record ConnectionClosed(GeminiConnection Connection, GeminiCloseInfo Close) : Signal;

        public sealed record Handover(bool Deadline) : Signal;

        public sealed record ForceReconnect(GeminiConnection Connection, string Reason) : Signal;
    }
}

/// <summary>Credentials or the endpoint could not be prepared (token endpoint unreachable, bad key file, …).</summary>
internal sealed class GeminiCredentialsException(string message, Exception innerException) : Exception(message, innerException);
