using PhoneAgent.Support;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

internal sealed partial class CallSession
{
    /// <summary>
    /// A tool call whose answer was lost (its model connection was replaced, the model cancelled it, it timed out, the
    /// call ended) committed something after all, e.g. a refund. The audit log marks it (<c>committed-after-reconnect</c>,
    /// …), and while the call goes on the model is told with a note on the barge-in note's channel (model-role content
    /// that adds context without starting a generation), so it neither denies nor repeats what happened.
    /// </summary>
    private void OnLateToolEffect(ToolLateEffect late)
    {
        var (outcome, reason, how) = late.Cause switch
        {
            ToolCancelCause.ConnectionLost => ("committed-after-reconnect", "connection-lost", "made just before the connection was renewed"),
            ToolCancelCause.Timeout => ("committed-after-timeout", "timed-out", "that you were told had timed out"),
            ToolCancelCause.CallEnded => ("committed-after-hangup", "call-ended", "made before the call ended"),
            _ => ("committed-after-cancel", "cancelled-by-model", "that was cancelled when the caller interrupted"),
        };
        _ = AuditLateEffectAsync(late, outcome, reason);

        var note = $"[note: the {late.Tool} call {how} went through after all: {late.Effect}. Its result never reached you. Do not repeat it, and tell the caller if it matters to them.]";
        bool sendNow;
        lock (_gate)
        {
            if (_over || late.Cause == ToolCancelCause.CallEnded)
            {
                return;
            }

            // Like the barge-in note: never in the middle of a generation, so it cannot cut the agent off.
            sendNow = _latestModelTurn <= _lastCompletedTurn;
            if (!sendNow)
            {
                (_pendingEffectNotes ??= []).Add(note);
            }
        }

        if (sendNow)
        {
            SendEffectNote(note);
        }
    }

    /// <summary>The note as content; on a model that takes no mid-session content, as text (a spoken reply beats silence about money).</summary>
    private void SendEffectNote(string note)
    {
        if (_model.Features.AcceptsConversationContent)
        {
            try
            {
                _model.SendContent(Model.ModelContent.ModelNote(note));
                _transcript.Event(note);
                return;
            }
            catch (NotSupportedException)
            {
                // Fall through to text.
            }
        }

        _model.SendText(note);
        _transcript.Event(note);
    }

    private async Task AuditLateEffectAsync(ToolLateEffect late, string outcome, string reason)
    {
        if (_context.Audit is null)
        {
            return;
        }

        try
        {
            await _context.Audit.AppendAsync(
                new ToolAuditEntry(CallSid, late.CallId, late.Tool, outcome, reason, null, null, null, late.Effect, _timeProvider.GetUtcNow()),
                CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.LateEffectNotAudited(_logger, late.CallId, late.Tool, e);
        }
    }
}
