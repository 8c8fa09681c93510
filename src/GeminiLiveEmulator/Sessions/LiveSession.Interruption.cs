using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Barge-in: caller activity cutting the model's answer off.</summary>
internal sealed partial class LiveSession
{
    /// <summary>Caller activity or new input while the model answers: interrupt, unless activityHandling is NO_INTERRUPTION.</summary>
    private void BargeIn(string cause)
    {
        if (_reply is null)
        {
            return;
        }

        if (Setup.RealtimeInput.NoInterruption)
        {
            _recorder.Note("noInterruption", $"{cause} during the answer to turn {_reply.UserTurn}: not interrupted (NO_INTERRUPTION)", _reply.UserTurn);
            return;
        }

        Interrupt(_reply, cause);
    }

    /// <summary>
    /// Cuts the answer off. Before anything of it was sent it is dropped silently and the caller's turn stays open (the
    /// caller just went on talking). Otherwise: interrupted, toolCallCancellation for its open blocking calls, and
    /// turnComplete; generationComplete is sent only if the generation had finished.
    /// </summary>
    private void Interrupt(ActiveReply reply, string cause)
    {
        _reply = null;
        if (!reply.AnythingSent)
        {
            if (reply.Kind == ReplyKind.Answer && reply.UserTurn == _conversation.UserTurns)
            {
                _conversation.UserTurns--;
                _recorder.Log.TurnCount = _conversation.UserTurns;
            }

            _recorder.Note("interrupt", $"{cause} before the answer to turn {reply.UserTurn} began: the caller's turn continues", reply.UserTurn);
            return;
        }

        _recorder.Note("interrupt", $"{cause} interrupts the answer to turn {reply.UserTurn} after {reply.AudioBytes} B of audio", reply.UserTurn);
        if (reply.ModelTurnOpen)
        {
            Send(ServerMessages.Interrupted(), reply.UserTurn);
        }

        var cancelled = _openCalls.Values.Where(c => c.ReplyId == reply.Id && !c.NonBlocking).Select(c => c.Id).ToList();
        if (cancelled.Count > 0)
        {
            foreach (var callId in cancelled)
            {
                _openCalls.Remove(callId);
                _cancelledCalls.Add(callId);
            }

            Send(ServerMessages.ToolCallCancellation(cancelled), reply.UserTurn);
        }

        if (reply.ModelTurnOpen)
        {
            SendTurnComplete(reply);
        }

        SendResumptionUpdate();
    }
}
