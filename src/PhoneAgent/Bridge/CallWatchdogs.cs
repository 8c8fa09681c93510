using PhoneAgent.AgentProfiles;

namespace PhoneAgent.Bridge;

/// <summary>
/// The timers of one call, all on the <see cref="TimeProvider"/>: maximum duration, idle reprompt (the caller says
/// nothing), and model stall (no model output after the caller's turn: nudge, then reconnect).
/// </summary>
/// <remarks>
/// Idle: armed from the later of the caller's last activity (speech, key press) and the end of the agent's last turn;
/// it fires after <c>limits.idleRepromptAfter</c> (never less than 60 s, enforced by profile validation). Stall: armed
/// when the caller's turn ends (or the bridge sends the model text to answer), disarmed by any model output; the
/// first firing is stage 1 (nudge), the next stage 2 (reconnect).
/// </remarks>
internal sealed class CallWatchdogs : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly CallLimits _limits;
    private readonly IWatchdogTarget _target;
    private readonly Lock _gate = new();
    private readonly ITimer _maxDuration;
    private readonly ITimer _idle;
    private readonly ITimer _stall;
    private int _idleFired;
    private int _stallStage;
    private bool _stallArmed;
    private bool _agentSpeaking;
    private bool _disposed;

    public CallWatchdogs(TimeProvider timeProvider, CallLimits limits, IWatchdogTarget target)
    {
        _timeProvider = timeProvider;
        _limits = limits;
        _target = target;
        _maxDuration = timeProvider.CreateTimer(static s => ((CallWatchdogs)s!)._target.MaxDurationReached(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _idle = timeProvider.CreateTimer(static s => ((CallWatchdogs)s!).OnIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _stall = timeProvider.CreateTimer(static s => ((CallWatchdogs)s!).OnStall(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Idle reprompts so far.</summary>
    public int IdleReprompts
    {
        get
        {
            lock (_gate)
            {
                return _idleFired;
            }
        }
    }

    public void Start()
    {
        _maxDuration.Change(_limits.MaxCallDuration, Timeout.InfiniteTimeSpan);
        RestartIdle();
    }

    /// <summary>The caller spoke or pressed a key: the idle count starts over.</summary>
    public void CallerActivity()
    {
        lock (_gate)
        {
            _idleFired = 0;
        }

        RestartIdle();
    }

    /// <summary>The agent started speaking: no idle reprompt while it talks.</summary>
    public void AgentSpeaking()
    {
        lock (_gate)
        {
            _agentSpeaking = true;
            if (!_disposed)
            {
                _idle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The agent's turn ended: the silence is counted from here.</summary>
    public void AgentTurnEnded()
    {
        lock (_gate)
        {
            _agentSpeaking = false;
        }

        RestartIdle();
    }

    /// <summary>The caller's turn ended (or the bridge asked the model something): the model must answer within <c>limits.stallTimeout</c>.</summary>
    public void AwaitModel()
    {
        lock (_gate)
        {
            if (_disposed || _stallArmed)
            {
                return;
            }

            _stallArmed = true;
            _stallStage = 0;
            _stall.Change(_limits.StallTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The model produced output: no stall.</summary>
    public void ModelResponded()
    {
        lock (_gate)
        {
            if (_disposed || !_stallArmed)
            {
                return;
            }

            _stallArmed = false;
            _stallStage = 0;
            _stall.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _maxDuration.Dispose();
        _idle.Dispose();
        _stall.Dispose();
    }

    private void RestartIdle()
    {
        lock (_gate)
        {
            if (!_disposed && !_agentSpeaking)
            {
                _idle.Change(_limits.IdleRepromptAfter, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnIdle()
    {
        int count;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            count = ++_idleFired;
        }

        if (count <= _limits.IdleRepromptMax)
        {
            _target.IdleReprompt(count);
            RestartIdle();
        }
        else
        {
            _target.IdleGiveUp();
        }
    }

    private void OnStall()
    {
        int stage;
        lock (_gate)
        {
            if (_disposed || !_stallArmed)
            {
                return;
            }

            stage = ++_stallStage;
            if (stage == 1)
            {
                _stall.Change(_limits.StallTimeout, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _stallArmed = false;
            }
        }

        if (stage == 1)
        {
            _target.ModelStalled(nudge: true);
        }
        else
        {
            _target.ModelStalled(nudge: false);
        }
    }
}

/// <summary>What <see cref="CallWatchdogs"/> calls (on timer threads).</summary>
internal interface IWatchdogTarget
{
    void MaxDurationReached();

    /// <summary>The caller has been silent; <paramref name="count"/> is 1 for the first reprompt.</summary>
    void IdleReprompt(int count);

    /// <summary>The caller stayed silent after every reprompt.</summary>
    void IdleGiveUp();

    /// <summary>No model output after the caller's turn: <paramref name="nudge"/> first, then reconnect.</summary>
    void ModelStalled(bool nudge);
}
