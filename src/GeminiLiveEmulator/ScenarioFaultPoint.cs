namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>Where in a turn a fault fires.</summary>
public enum ScenarioFaultPoint
{
    /// <summary>On the setup message, before setupComplete.</summary>
    Setup,

    /// <summary>When the caller's turn is committed (end of speech, text, clientContent turnComplete).</summary>
    CallerTurn,

    /// <summary>When the reply latency is over, before the first frame of the answer.</summary>
    Reply,

    /// <summary>After half of the answer's audio chunks were sent.</summary>
    MidReply,

    /// <summary>Right after the answer's turnComplete.</summary>
    AfterReply,

    /// <summary>Right after a toolCall was sent.</summary>
    ToolCall,

    /// <summary>When the tool responses arrive, before the model speaks about them.</summary>
    ToolResponse,
}
