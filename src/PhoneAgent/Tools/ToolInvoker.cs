using System.Text.Json;
using PhoneAgent.Model;

namespace PhoneAgent.Tools;

/// <summary>
/// Runs the tool calls of one phone call, off the audio path. Every call that is not cancelled is answered exactly
/// once (output or model-readable error); cancelled ids are never answered.
/// </summary>
/// <remarks>
/// (1) <see cref="Invoke"/> is called by the call's event loop and returns at once: the handler runs on the thread pool
/// under the tool's timeout. (2) The first of handler result, timeout, cancellation decides; later ones are never
/// answered (a handler that ignores its token is abandoned at the deadline). (3) <see cref="Cancel"/>
/// (toolCallCancellation, a lost model connection) and <see cref="CancelAll"/> (hang-up) cancel the handler's token and
/// mark the id answered for good: a call pending when the model connection is replaced is never answered on the new
/// one. (4) A handler whose answer was lost that still returns a <see cref="ToolResult.Effect"/> (it committed before
/// it saw the cancellation, or after its timeout) is reported once through <see cref="ToolInvokerCallbacks.LateEffect"/>.
/// (5) While a blocking call runs past the hold-cue delay, <see cref="ToolInvokerCallbacks.HoldCue"/> is on.
/// </remarks>
internal sealed partial class ToolInvoker : IAsyncDisposable
{
    private readonly ToolRegistry _registry;
    private readonly HashSet<string> _enabled;
    private readonly ToolCallContext _context;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _holdCueAfter;
    private readonly ToolInvokerCallbacks _callbacks;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunningCall> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly List<Task> _tasks = [];
    private bool _holdCueOn;
    private bool _closed;

    public ToolInvoker(
        ToolRegistry registry,
        IEnumerable<string> enabled,
        ToolCallContext context,
        TimeProvider timeProvider,
        TimeSpan? holdCueAfter,
        ToolInvokerCallbacks callbacks,
        ILogger logger)
    {
        _registry = registry;
        _enabled = enabled.ToHashSet(StringComparer.Ordinal);
        _context = context;
        _timeProvider = timeProvider;
        _holdCueAfter = holdCueAfter;
        _callbacks = callbacks;
        _logger = logger;
    }

    /// <summary>Calls still running.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Starts one call; returns at once.</summary>
    public void Invoke(string callId, string name, JsonElement arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var handler = _enabled.Contains(name) ? _registry.Find(name) : null;
        RunningCall? call = null;
        lock (_gate)
        {
            if (_closed || _done.Contains(callId) || _running.ContainsKey(callId))
            {
                Log.DuplicateCall(_logger, callId, name);
                return;
            }

            if (handler is null)
            {
                _done.Add(callId);
            }
            else
            {
                var declaration = handler.Declaration;
                call = new RunningCall(callId, name, declaration.Blocking, new CancellationTokenSource(), new CancellationTokenSource(declaration.Timeout, _timeProvider));
                _running.Add(callId, call);
                if (declaration.Blocking && _holdCueAfter is { } after)
                {
                    call.CueTimer = _timeProvider.CreateTimer(static state => ((HoldCueArm)state!).Fire(), new HoldCueArm(this, call), after, Timeout.InfiniteTimeSpan);
                }
            }
        }

        if (handler is null || call is null)
        {
            Log.UnknownTool(_logger, callId, name);
            Answer(ModelToolResult.Failure(callId, name, $"There is no tool named '{name}' on this call. Do not call it again."), name, ToolCallOutcome.Unknown);
            return;
        }

        Log.Invoking(_logger, callId, name);
        var task = Task.Run(() => RunAsync(handler, call, arguments));
        lock (_gate)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    /// <summary>
    /// The model cancelled these calls (or their connection is gone): they are never answered. A handler that still
    /// returns a result with <see cref="ToolResult.Effect"/> (it committed before it saw the cancellation) is reported
    /// through <see cref="ToolInvokerCallbacks.LateEffect"/>, so the model and the audit log learn what happened.
    /// </summary>
    public void Cancel(IEnumerable<string> callIds, ToolCancelCause cause = ToolCancelCause.Model)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        foreach (var id in callIds)
        {
            RunningCall? call;
            lock (_gate)
            {
                _running.Remove(id, out call);
                _done.Add(id);
                if (call is not null)
                {
                    call.CancelCause = cause;
                }
            }

            if (call is not null)
            {
                Finish(call);
                call.Cancel.Cancel();
                Log.Cancelled(_logger, id, call.Name);
                _callbacks.Recorded?.Invoke(call.Name, ToolCallOutcome.Cancelled);
            }
        }
    }

    /// <summary>The call is over: cancels every running call; nothing more is answered.</summary>
    public void CancelAll()
    {
        string[] ids;
        lock (_gate)
        {
            _closed = true;
            ids = [.. _running.Keys];
        }

        Cancel(ids, ToolCancelCause.CallEnded);
    }

    public async ValueTask DisposeAsync()
    {
        CancelAll();
        Task[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks];
        }

        // Handlers observe their token; one that does not is not waited for long.
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(2), _timeProvider).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task RunAsync(IToolHandler handler, RunningCall call, JsonElement arguments)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.Cancel.Token, call.Deadline.Token);
        ModelToolResult result;
        ToolCallOutcome outcome;
        string? effect = null;
        Task<ToolResult>? pending = null;
        var started = _timeProvider.GetTimestamp();
        using var activity = Hosting.PhoneAgentTelemetry.Source.StartActivity("tool " + call.Name);
        activity?.SetTag(Hosting.PhoneAgentTelemetry.CallSidTag, _context.CallSid).SetTag("phoneagent.tool.name", call.Name);
        try
        {
            var invocation = new ToolInvocation(call.Id, call.Name, arguments, _context);
            pending = handler.InvokeAsync(invocation, linked.Token).AsTask();
            var output = await pending.WaitAsync(linked.Token);
            effect = output.Effect;
            (result, outcome) = output.IsError
                ? (ModelToolResult.Failure(call.Id, call.Name, output.Error!), ToolCallOutcome.Error)
                : (ModelToolResult.Success(call.Id, call.Name, output.Output ?? default), ToolCallOutcome.Success);
        }
        catch (OperationCanceledException) when (call.Cancel.IsCancellationRequested)
        {
            // Cancelled: never answered (Cancel already recorded it), but a handler may still have committed.
            await WatchLateResultAsync(handler, call, pending, call.CancelCause);
            return;
        }
        catch (OperationCanceledException) when (call.Deadline.IsCancellationRequested)
        {
            var timeout = handler.Declaration.Timeout;
            Log.TimedOut(_logger, call.Id, call.Name, timeout);
            (result, outcome) = (ModelToolResult.Failure(call.Id, call.Name, $"The tool {call.Name} did not answer within {timeout.TotalSeconds:0.#} seconds. Tell the caller it is not available right now."), ToolCallOutcome.Timeout);
        }
        catch (ToolException e)
        {
            (result, outcome) = (ModelToolResult.Failure(call.Id, call.Name, e.Message), ToolCallOutcome.Error);
        }
        catch (Exception e)
        {
            Log.Failed(_logger, call.Id, call.Name, e);
            (result, outcome) = (ModelToolResult.Failure(call.Id, call.Name, $"The tool {call.Name} failed ({e.GetType().Name}). Tell the caller it is not available right now."), ToolCallOutcome.Failed);
        }

        ToolCancelCause? cancelledMeanwhile = null;
        lock (_gate)
        {
            if (_running.Remove(call.Id))
            {
                _done.Add(call.Id);
            }
            else
            {
                cancelledMeanwhile = call.CancelCause;
            }
        }

        if (cancelledMeanwhile is { } cause)
        {
            // The result came just as the call was cancelled: not answered, but its effect is real.
            if (effect is { Length: > 0 })
            {
                ReportLateEffect(call, effect, cause);
            }

            return;
        }

        Finish(call);
        activity?.SetTag("phoneagent.tool.outcome", outcome.ToString());
        if (outcome != ToolCallOutcome.Success)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        }

        Log.Answered(_logger, call.Id, call.Name, outcome, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        Answer(result, call.Name, outcome);
        if (outcome == ToolCallOutcome.Timeout)
        {
            // The model was told "not available"; a handler that commits after all must not go unnoticed.
            await WatchLateResultAsync(handler, call, pending, ToolCancelCause.Timeout);
        }
    }

    /// <summary>
    /// Waits (at most the tool's timeout, measured from now) for a handler whose answer can no longer be delivered, and
    /// reports its <see cref="ToolResult.Effect"/> if it returns one. A handler that honours its token ends at once.
    /// </summary>
    private async Task WatchLateResultAsync(IToolHandler handler, RunningCall call, Task<ToolResult>? pending, ToolCancelCause cause)
    {
        if (pending is null)
        {
            return;
        }

        ToolResult late;
        try
        {
            late = await pending.WaitAsync(handler.Declaration.Timeout, _timeProvider).ConfigureAwait(false);
        }
        catch (Exception)
        {
            return; // cancelled, failed or still running: nothing was reported as done
        }

        if (late.Effect is { Length: > 0 } effect)
        {
            ReportLateEffect(call, effect, cause);
        }
    }

    private void ReportLateEffect(RunningCall call, string effect, ToolCancelCause cause)
    {
        Log.LateEffect(_logger, call.Id, call.Name, cause);
        try
        {
            _callbacks.LateEffect?.Invoke(new ToolLateEffect(call.Id, call.Name, effect, cause));
        }
        catch (Exception e)
        {
            Log.LateEffectNotReported(_logger, call.Id, call.Name, e);
        }
    }

    private void Answer(ModelToolResult result, string name, ToolCallOutcome outcome)
    {
        _callbacks.Recorded?.Invoke(name, outcome);
        _callbacks.Answer(result);
    }

    /// <summary>Releases the call's timers and stops the hold cue when no blocking call is left.</summary>
    private void Finish(RunningCall call)
    {
        call.CueTimer?.Dispose();
        call.Deadline.Dispose();
        bool stopCue;
        lock (_gate)
        {
            stopCue = _holdCueOn && !_running.Values.Any(c => c.Blocking);
            if (stopCue)
            {
                _holdCueOn = false;
            }
        }

        if (stopCue)
        {
            _callbacks.HoldCue?.Invoke(false);
        }
    }

    private void OnHoldCueDue(RunningCall call)
    {
        lock (_gate)
        {
            if (_holdCueOn || !_running.ContainsKey(call.Id))
            {
                return;
            }

            _holdCueOn = true;
        }

        Log.HoldCue(_logger, call.Id, call.Name);
        _callbacks.HoldCue?.Invoke(true);
    }

    private sealed class RunningCall(string id, string name, bool blocking, CancellationTokenSource cancel, CancellationTokenSource deadline)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public bool Blocking { get; } = blocking;

        public CancellationTokenSource Cancel { get; } = cancel;

        public CancellationTokenSource Deadline { get; } = deadline;

        public ITimer? CueTimer { get; set; }

        /// <summary>Why it was cancelled (0 while it is not); guarded by the invoker's gate.</summary>
        public ToolCancelCause CancelCause { get; set; }
    }

    private sealed record HoldCueArm(ToolInvoker Owner, RunningCall Call)
    {
        public void Fire() => Owner.OnHoldCueDue(Call);
    }
}

/// <summary>Where a <see cref="ToolInvoker"/> reports.</summary>
/// <param name="Answer">Sends one answer to the model (exactly once per answered call).</param>
/// <param name="HoldCue">The hold cue goes on (true) or off (false).</param>
/// <param name="Recorded">Each call's outcome, for metrics.</param>
/// <param name="LateEffect">A call whose answer could not be delivered (cancelled, its connection replaced, timed out) changed something after all.</param>
internal sealed record ToolInvokerCallbacks(
    Action<ModelToolResult> Answer,
    Action<bool>? HoldCue = null,
    Action<string, ToolCallOutcome>? Recorded = null,
    Action<ToolLateEffect>? LateEffect = null);

/// <summary>Why a tool call's answer was not (or not usefully) delivered.</summary>
internal enum ToolCancelCause
{
    /// <summary>The model cancelled it (<c>toolCallCancellation</c>: the caller interrupted).</summary>
    Model = 1,

    /// <summary>The model connection that issued it was lost or replaced: the resumed model will not expect an answer.</summary>
    ConnectionLost,

    /// <summary>The phone call ended.</summary>
    CallEnded,

    /// <summary>It ran past its timeout and the model was told it failed.</summary>
    Timeout,
}

/// <summary>A tool call that committed <paramref name="Effect"/> although its answer never reached the model as a result.</summary>
/// <param name="CallId">The model's tool-call id.</param>
/// <param name="Tool">The tool.</param>
/// <param name="Effect">What changed (<see cref="ToolResult.Effect"/>), e.g. "refunded 25.00 USD on order A1001".</param>
/// <param name="Cause">Why the answer was not delivered.</param>
internal sealed record ToolLateEffect(string CallId, string Tool, string Effect, ToolCancelCause Cause);
