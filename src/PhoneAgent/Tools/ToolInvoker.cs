using System.Text.Json;
using PhoneAgent.Model;

namespace PhoneAgent.Tools;

/// <summary>
/// Runs the tool calls of one phone call, off the audio path. Every call that is not cancelled is answered exactly
/// once (output or model-readable error); cancelled ids are never answered.
/// </summary>
/// <remarks>
/// (1) <see cref="Invoke"/> is called by the call's event loop and returns at once: the handler runs on the thread pool
/// under the tool's timeout. (2) The first of handler result, timeout, cancellation decides; later ones are ignored
/// (a handler that ignores its token is abandoned at the deadline). (3) <see cref="Cancel"/> (toolCallCancellation, a
/// lost model connection) and <see cref="CancelAll"/> (hang-up) cancel the handler's token and mark the id answered
/// for good. (4) While a blocking call runs past the hold-cue delay, <see cref="ToolInvokerCallbacks.HoldCue"/> is on.
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

    /// <summary>The model cancelled these calls (or their connection is gone): they are never answered.</summary>
    public void Cancel(IEnumerable<string> callIds)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        foreach (var id in callIds)
        {
            RunningCall? call;
            lock (_gate)
            {
                _running.Remove(id, out call);
                _done.Add(id);
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

        Cancel(ids);
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
        var started = _timeProvider.GetTimestamp();
        using var activity = Hosting.PhoneAgentTelemetry.Source.StartActivity("tool " + call.Name);
        activity?.SetTag(Hosting.PhoneAgentTelemetry.CallSidTag, _context.CallSid).SetTag("phoneagent.tool.name", call.Name);
        try
        {
            var invocation = new ToolInvocation(call.Id, call.Name, arguments, _context);
            var output = await handler.InvokeAsync(invocation, linked.Token).AsTask().WaitAsync(linked.Token);
            (result, outcome) = output.IsError
                ? (ModelToolResult.Failure(call.Id, call.Name, output.Error!), ToolCallOutcome.Error)
                : (ModelToolResult.Success(call.Id, call.Name, output.Output ?? default), ToolCallOutcome.Success);
        }
        catch (OperationCanceledException) when (call.Cancel.IsCancellationRequested)
        {
            return; // cancelled: never answered (Cancel already recorded it)
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

        lock (_gate)
        {
            if (!_running.Remove(call.Id))
            {
                return; // cancelled meanwhile: never answered
            }

            _done.Add(call.Id);
        }

        Finish(call);
        activity?.SetTag("phoneagent.tool.outcome", outcome.ToString());
        if (outcome != ToolCallOutcome.Success)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        }

        Log.Answered(_logger, call.Id, call.Name, outcome, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        Answer(result, call.Name, outcome);
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
internal sealed record ToolInvokerCallbacks(Action<ModelToolResult> Answer, Action<bool>? HoldCue = null, Action<string, ToolCallOutcome>? Recorded = null);
