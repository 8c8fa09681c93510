using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

internal sealed partial class LiveSession
{
    private bool _goAwaySent;

    /// <summary>Fires the scenario's faults for this point and turn (each once per session); true if one ended the session.</summary>
    private bool FireFaults(ScenarioFaultPoint point, int? turn)
    {
        for (var i = 0; i < Scenario.Faults.Count; i++)
        {
            var fault = Scenario.Faults[i];
            if (fault.Kind == ScenarioFaultKind.RefuseResume || fault.At != point || (fault.Turn is { } t && t != turn)
                || !ConnectionMatches(fault) || !_lineage!.TryFire(i))
            {
                continue;
            }

            if (Inject(fault))
            {
                return true;
            }
        }

        return _phase == Phase.Ended;
    }

    private bool ConnectionMatches(ScenarioFault fault) => fault.Connection is null || fault.Connection == _connectionNumber;

    /// <summary>Injects one fault; true if it ended the session.</summary>
    private bool Inject(ScenarioFault fault)
    {
        _recorder.Note("fault", fault.ToString());
        switch (fault.Kind)
        {
            case ScenarioFaultKind.Close:
                var code = fault.Code ?? CloseReasons.InternalError;
                Close(code, fault.Reason ?? DefaultReason(code));
                return true;
            case ScenarioFaultKind.Abort:
                _out.Abort();
                End();
                return true;
            case ScenarioFaultKind.Stall:
                _out.Stall(TimeSpan.FromSeconds(fault.Seconds));
                return false;
            case ScenarioFaultKind.MalformedFrame:
                Send(ServerMessages.Malformed());
                return false;
            default:
                return false;
        }
    }

    private void CheckGoAwayAtTurn(int turn)
    {
        if (Scenario.GoAway is { AtTurn: { } at } goAway && at == turn && (goAway.EveryConnection || _connectionNumber == 1))
        {
            SendGoAway();
        }
    }

    /// <summary>goAway with timeLeft; if the client is still here when it runs out, close as the service does.</summary>
    private void SendGoAway()
    {
        if (_goAwaySent || Scenario.GoAway is not { } goAway || _phase != Phase.Active)
        {
            return;
        }

        _goAwaySent = true;
        var timeLeft = TimeSpan.FromSeconds(goAway.TimeLeftSeconds);
        Schedule(timeLeft, new TimerFired(TimerKind.GoAwayDeadline, 0));
        Send(ServerMessages.GoAway(timeLeft));
    }
}
