using PhoneAgent.Calls;
using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Bridge;

internal sealed partial class CallSession
{
    /// <summary>
    /// <c>end_call</c> (and the idle watchdog's goodbye): hang up after the model's next turn that brings new audio
    /// has been played to its final mark, or after <c>limits.endCallTimeout</c>.
    /// </summary>
    public void ArmHangup(string reason) => ArmExit(reason, CallEndReason.AgentHungUp, new NextAction.Hangup(reason));

    /// <summary>
    /// <c>connect_to_human</c>: end the stream with <paramref name="transfer"/> once the agent's next turn (telling the
    /// caller they are being put through) has played, exactly as a hang-up waits for the goodbye.
    /// </summary>
    public void ArmTransfer(NextAction.Transfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        ArmExit(transfer.Reason, CallEndReason.Transferred, transfer);
    }

    private void ArmHangup(string reason, CallEndReason endReason) => ArmExit(reason, endReason, new NextAction.Hangup(reason));

    /// <summary>Hang-up and transfer share one plan: the first armed wins.</summary>
    private void ArmExit(string reason, CallEndReason endReason, NextAction action)
    {
        lock (_gate)
        {
            if (_hangup is not null)
            {
                return;
            }

            var timeout = _timeProvider.CreateTimer(static s => ((CallSession)s!).OnHangupTimeout(), this, _profile.Limits.EndCallTimeout, Timeout.InfiniteTimeSpan);
            _hangup = new HangupPlan(reason, endReason, action, _downstream.LastSequence, timeout);
        }

        if (action is NextAction.Transfer transfer)
        {
            _transcript.Event($"transfer armed: {transfer.Action.ToString().ToLowerInvariant()}");
            Log.TransferArmed(_logger, transfer.Action, transfer.Timeout.TotalSeconds);
        }
        else
        {
            _transcript.Event($"hang-up armed: {reason}");
            Log.HangupArmed(_logger, reason);
        }
    }

    private async Task HangupAfterPlayedAsync(HangupPlan plan, int playoutTurn)
    {
        bool played;
        try
        {
            played = await _stream.Playback.WhenTurnPlayedAsync(playoutTurn).WaitAsync(_profile.Limits.EndCallTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            played = true;
        }

        if (played)
        {
            plan.Timeout.Dispose();
            if (plan.Action is NextAction.Transfer)
            {
                Log.Transferring(_logger, Elapsed.TotalSeconds);
            }
            else
            {
                Log.HangingUp(_logger, plan.Reason, Elapsed.TotalSeconds);
            }

            RequestEnd(plan.EndReason, plan.Action);
        }
    }

    private void OnHangupTimeout()
    {
        HangupPlan? plan;
        lock (_gate)
        {
            plan = _hangup;
        }

        if (plan is not null)
        {
            if (plan.Action is NextAction.Transfer)
            {
                Log.TransferTimeout(_logger);
            }
            else
            {
                Log.HangupTimeout(_logger, plan.Reason);
            }

            RequestEnd(plan.EndReason, plan.Action);
        }
    }

    /// <summary>The caller cut the goodbye off: they have something to say, so the hang-up waits for the next goodbye.</summary>
    private void CancelHangupOnBargeIn()
    {
        lock (_gate)
        {
            if (_hangup is { Waiting: true } plan)
            {
                plan.Waiting = false;
                _hangup = plan with { AfterSequence = _downstream.LastSequence };
                Log.HangupPostponed(_logger);
            }
        }
    }

    private void OnHoldCue(bool on)
    {
        if (on)
        {
            _downstream.StartHoldCue(_holdCue, TimeSpan.FromSeconds(30));
        }
        else
        {
            _downstream.StopHoldCue();
        }
    }

    /// <summary>Twilio's control events: key presses reach the model as text, <c>stop</c> ends the call.</summary>
    private async Task StreamEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _stream.Events.WaitToReadAsync(cancellationToken))
            {
                while (_stream.Events.TryRead(out var streamEvent))
                {
                    switch (streamEvent)
                    {
                        case MediaStreamEvent.Dtmf dtmf:
                            _watchdogs.CallerActivity();
                            _transcript.Dtmf(dtmf.Digit);
                            _model.SendText($"[the caller pressed {dtmf.Digit}]");
                            _watchdogs.AwaitModel();
                            break;
                        case MediaStreamEvent.Stopped:
                            _twilioStopped.TrySetResult();
                            break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call is over.
        }
    }

    void IWatchdogTarget.MaxDurationReached()
    {
        Log.MaxDuration(_logger, _profile.Limits.MaxCallDuration);
        _transcript.Event("maximum call duration reached");
        RequestEnd(CallEndReason.MaxDuration, new NextAction.Fallback("maximum call duration"));
    }

    void IWatchdogTarget.IdleReprompt(int count)
    {
        var seconds = _profile.Limits.IdleRepromptAfter.TotalSeconds;
        Log.IdleReprompt(_logger, count, seconds);
        _transcript.Event($"idle reprompt {count}");
        _model.SendText($"[The caller has said nothing for {seconds:0} seconds. Check briefly, in one short sentence, whether they are still there.]");
        _watchdogs.AwaitModel();
    }

    void IWatchdogTarget.IdleGiveUp()
    {
        Log.IdleGiveUp(_logger);
        _transcript.Event("caller silent: goodbye");
        ArmHangup("caller silent", CallEndReason.IdleTimeout);
        _model.SendText("[The caller is still silent. Say a short, friendly goodbye now; the call ends after it.]");
    }

    void IWatchdogTarget.ModelStalled(bool nudge)
    {
        if (nudge)
        {
            Log.StallNudge(_logger, _profile.Limits.StallTimeout);
            _transcript.Event("model stalled: nudged");
            _model.SendText("[You have not answered yet. Please answer the caller now.]");
            return;
        }

        if (_model is IReconnectableModelSession reconnectable)
        {
            Log.StallReconnect(_logger);
            _metrics.ModelReconnect("stall");
            _transcript.Event("model stalled: reconnecting");
            reconnectable.Reconnect("stalled");
            _watchdogs.AwaitModel();
        }
        else
        {
            Log.StallGiveUp(_logger);
            _transcript.Event("model stalled: fallback");
            RequestEnd(CallEndReason.ModelStalled, new NextAction.Fallback("model stalled"));
        }
    }
}
