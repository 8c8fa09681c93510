using PhoneAgent.Calls;
using PhoneAgent.Model;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

internal sealed partial class CallSession
{
    /// <summary>The model's control lane: never stuck behind audio, so barge-in, tool calls and goAway act at once.</summary>
    private async Task ModelEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _model.Events.WaitToReadAsync(cancellationToken))
            {
                while (_model.Events.TryRead(out var modelEvent))
                {
                    await OnModelEventAsync(modelEvent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call is over.
        }
        catch (Exception e)
        {
            Log.LoopFailed(_logger, e);
            RequestEnd(CallEndReason.InternalError, new NextAction.Fallback("bridge error"));
        }
    }

    private async ValueTask OnModelEventAsync(ModelEvent modelEvent)
    {
        switch (modelEvent)
        {
            case Interrupted interrupted:
                await OnInterruptedAsync(interrupted.Turn);
                break;
            case TurnComplete complete:
                OnTurnComplete(complete);
                break;
            case OutputTranscript output:
                _watchdogs.ModelResponded();
                _transcript.AgentText(output.Turn, output.Text);
                break;
            case InputTranscript input:
                _watchdogs.CallerActivity();
                _transcript.CallerText(input.Text, input.Finished);
                if (input.Finished)
                {
                    _watchdogs.AwaitModel();
                }

                break;
            case VoiceActivityDetected activity:
                if (activity.SpeechStarted)
                {
                    _watchdogs.CallerActivity();
                }
                else
                {
                    _watchdogs.AwaitModel();
                }

                break;
            case ToolCallRequested call:
                _watchdogs.ModelResponded();
                _transcript.Event($"tool call {call.Name}");
                _tools.Invoke(call.CallId, call.Name, call.Arguments);
                break;
            case ToolCallCancelled cancelled:
                // Calls of a lost connection are never answered on the new one (the resumed model does not expect it).
                _tools.Cancel(cancelled.CallIds, cancelled.Reason == ToolCancelReason.ConnectionLost ? ToolCancelCause.ConnectionLost : ToolCancelCause.Model);
                break;
            case GenerationComplete generated:
                _watchdogs.ModelResponded();
                _downstream.GenerationComplete(generated.Turn);
                break;
            case GoAway goAway:
                Log.GoAway(_logger, goAway.TimeLeft);
                break;
            case Reconnecting reconnecting:
                // A requested reconnect is the stall watchdog's, already counted as "stall" when it asked.
                if (reconnecting.Cause != ModelReconnectCause.Requested)
                {
                    _metrics.ModelReconnect(reconnecting.Cause switch
                    {
                        ModelReconnectCause.TransportLost => "transport-lost",
                        ModelReconnectCause.ClosedByProvider => "closed-by-provider",
                        _ => "go-away-deadline",
                    });
                }

                Log.ModelReconnecting(_logger, reconnecting.Cause, reconnecting.CloseCode, reconnecting.CloseReason ?? "");
                break;
            case SessionResumed resumed:
                _transcript.Event($"model connection resumed ({resumed.Kind})");
                Log.ModelResumed(_logger, resumed.Kind, resumed.Gap.TotalMilliseconds);
                break;
            case UsageReported usage:
                OnUsage(usage.Usage);
                break;
        }
    }

    /// <summary>
    /// Barge-in: drop every queued frame of the cut turn and send <c>clear</c> at once (even with nothing queued here),
    /// reset the resampler; then work out what the caller heard and tell the model.
    /// </summary>
    private async Task OnInterruptedAsync(long modelTurn)
    {
        var started = _timeProvider.GetTimestamp();
        var cut = _downstream.Interrupt(modelTurn);
        try
        {
            await cut.ClearWritten.WaitAsync(TimeSpan.FromSeconds(1), _timeProvider);
        }
        catch (TimeoutException)
        {
            Log.ClearSlow(_logger);
        }

        _metrics.ClearSent(_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        Interlocked.Increment(ref _bargeIns);
        _watchdogs.CallerActivity();
        CancelHangupOnBargeIn();
        if (cut.PlayoutTurn == 0)
        {
            Log.BargeInNoAudio(_logger, modelTurn);
            return;
        }

        // Marks echoed before the clear were played; those pending at the clear come back as cleared.
        var heard = _stream.Playback.Heard(cut.PlayoutTurn);
        var fraction = HeardText.Fraction(heard, cut.Received);
        var heardText = HeardText.Cut(_transcript.AgentTurnText(modelTurn), fraction);
        _transcript.AgentInterrupted(modelTurn, heardText);
        Log.BargeIn(_logger, modelTurn, heard.TotalMilliseconds, cut.Received.TotalMilliseconds, cut.Dropped, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        if (fraction >= 1)
        {
            return;
        }

        var note = HeardText.Note(heardText);
        switch (_context.Options.HeardTextNote)
        {
            case HeardTextNotePlacement.Immediate:
                bool newerTurn;
                lock (_gate)
                {
                    newerTurn = _latestModelTurn > modelTurn;
                    if (newerTurn)
                    {
                        _pendingNote = note;
                        _pendingNoteAfterTurn = modelTurn;
                    }
                }

                if (!newerTurn)
                {
                    SendNote(note);
                }

                break;
            case HeardTextNotePlacement.AfterNextTurnComplete:
                lock (_gate)
                {
                    _pendingNote = note;
                    _pendingNoteAfterTurn = modelTurn;
                }

                break;
        }
    }

    private void SendNote(string note)
    {
        if (!_model.Features.AcceptsConversationContent)
        {
            Log.NoteNotSupported(_logger);
            return;
        }

        try
        {
            _model.SendContent(ModelContent.ModelNote(note));
            _transcript.Event(note);
        }
        catch (NotSupportedException)
        {
            Log.NoteNotSupported(_logger);
        }
    }

    private void OnTurnComplete(TurnComplete complete)
    {
        var playoutTurn = _downstream.CompleteTurn(complete.Turn, complete.LastAudioSequence);
        _watchdogs.ModelResponded();
        _watchdogs.AgentTurnEnded();
        _transcript.AgentTurnEnded(complete.Turn);

        string? note = null;
        HangupPlan? hangup;
        List<string>? effectNotes;
        lock (_gate)
        {
            _lastCompletedTurn = Math.Max(_lastCompletedTurn, complete.Turn);
            effectNotes = _pendingEffectNotes;
            _pendingEffectNotes = null;
            if (_pendingNote is not null && complete.Turn > _pendingNoteAfterTurn)
            {
                note = _pendingNote;
                _pendingNote = null;
            }

            // The first turn with audio that ends after end_call holds the goodbye (said before or after the call).
            hangup = _hangup is { Waiting: false } plan && playoutTurn != 0 ? plan : null;
            if (hangup is not null)
            {
                hangup.Waiting = true;
            }
        }

        if (note is not null)
        {
            SendNote(note);
        }

        foreach (var effectNote in effectNotes ?? [])
        {
            SendEffectNote(effectNote);
        }

        if (hangup is not null)
        {
            _ = HangupAfterPlayedAsync(hangup, playoutTurn);
        }
    }

    private void OnModelTurnStarted(long modelTurn, int playoutTurn)
    {
        lock (_gate)
        {
            _latestModelTurn = Math.Max(_latestModelTurn, modelTurn);
        }

        _watchdogs.ModelResponded();
        _watchdogs.AgentSpeaking();
        _transcript.AgentTurnStarted(modelTurn, playoutTurn);
    }

    private void OnUsage(ModelUsage usage)
    {
        _metrics.Tokens("prompt", usage.PromptTokens);
        _metrics.Tokens("response", usage.ResponseTokens);
        _metrics.Tokens("total", usage.TotalTokens);
        long used;
        lock (_gate)
        {
            _tokensUsed += usage.TotalTokens;
            used = _tokensUsed;
        }

        if (_profile.Limits.MaxTokensPerCall is { } budget && used > budget)
        {
            Log.TokenBudget(_logger, used, budget);
            _transcript.Event("token budget spent");
            RequestEnd(CallEndReason.TokenBudget, new NextAction.Fallback("token budget spent"));
        }
    }
}
