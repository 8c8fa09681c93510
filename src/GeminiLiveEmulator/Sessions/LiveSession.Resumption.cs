using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Resumption handles: issued at safe points, honoured (or refused) on a new connection.</summary>
internal sealed partial class LiveSession
{
    /// <summary>
    /// Reports a handle at a safe point (no reply in progress, no call open): a new handle with <c>resumable: true</c>,
    /// else an update without a handle (resumable false). Vertex transparent mode adds lastConsumedClientMessageIndex.
    /// </summary>
    private void SendResumptionUpdate()
    {
        if (!ResumptionEnabled || _phase != Phase.Active)
        {
            return;
        }

        long? consumed = Setup.TransparentResumption ? _clientMessageIndex : null;
        if (_reply is not null || _openCalls.Count > 0 || _pendingTurns.Count > 0 || _idleResults.Count > 0)
        {
            Send(ServerMessages.SessionResumptionUpdate(null, resumable: false, consumed));
            return;
        }

        var handle = _runtime.Resumption.Issue(_lineage!, _conversation.Clone(), _recorder.ConnectionId, _endpoint.Backend, _modelId);
        _recorder.Log.AddHandle(handle);
        Send(ServerMessages.SessionResumptionUpdate(handle, resumable: true, consumed));
    }

    private void Resume(string handle)
    {
        var entry = _runtime.Resumption.Find(handle);
        if (entry is null || entry.Backend != _endpoint.Backend)
        {
            throw ProtocolViolationException.InvalidArgument($"resumption handle {handle} is unknown or expired");
        }

        if (entry.ModelId != _modelId)
        {
            throw ProtocolViolationException.InvalidArgument($"resumption handle {handle} belongs to model {entry.ModelId}, not {_modelId}");
        }

        if (Options.RefuseResumeWhileOldOpen && _runtime.Sessions.IsOpen(entry.IssuedBy))
        {
            throw ProtocolViolationException.InvalidArgument(
                $"resume with {handle} while {entry.IssuedBy}, which issued it, is still open (RefuseResumeWhileOldOpen)");
        }

        for (var i = 0; i < Scenario.Faults.Count; i++)
        {
            var fault = Scenario.Faults[i];
            if (fault.Kind == ScenarioFaultKind.RefuseResume
                && (fault.Connection is null || fault.Connection == entry.Lineage.Connections + 1)
                && entry.Lineage.TryRefuse(i, fault.Count))
            {
                var code = fault.Code ?? CloseReasons.InvalidPayload;
                throw new ProtocolViolationException(code, fault.Reason ?? DefaultReason(code), $"scenario fault: {fault}");
            }
        }

        _lineage = entry.Lineage;
        _conversation = entry.Snapshot.Clone();
        _recorder.Note("resume", $"session {_lineage.SessionId} resumed at caller turn {_conversation.UserTurns} (handle from {entry.IssuedBy})");
    }
}
