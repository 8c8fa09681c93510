namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>What goes wrong.</summary>
public enum ScenarioFaultKind
{
    /// <summary>Close with <see cref="ScenarioFault.Code"/> and <see cref="ScenarioFault.Reason"/> (default 1011 "Internal error occurred.").</summary>
    Close,

    /// <summary>Drop the TCP connection without a close frame (the client sees 1006).</summary>
    Abort,

    /// <summary>Send nothing for <see cref="ScenarioFault.Seconds"/>; queued frames follow afterwards.</summary>
    Stall,

    /// <summary>Send one frame that is not valid JSON.</summary>
    MalformedFrame,

    /// <summary>Refuse the next <see cref="ScenarioFault.Count"/> resumptions (0: all) with Code/Reason (default 1007).</summary>
    RefuseResume,
}
