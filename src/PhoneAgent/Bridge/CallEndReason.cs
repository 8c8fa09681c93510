namespace PhoneAgent.Bridge;

/// <summary>How a call session ended (one value per way out, like YARP's <c>ForwarderError</c>).</summary>
internal enum CallEndReason
{
    /// <summary>Twilio sent <c>stop</c>: the caller hung up (or Twilio ended the stream).</summary>
    CallerHungUp = 1,

    /// <summary>The Twilio socket closed or failed without <c>stop</c>; the edge reconnects the stream.</summary>
    TwilioSocketLost,

    /// <summary>The agent ended the call (<c>end_call</c>, after its goodbye was played): <c>NextAction.Hangup</c>.</summary>
    AgentHungUp,

    /// <summary>The caller stayed silent through every idle reprompt: goodbye, then <c>NextAction.Hangup</c>.</summary>
    IdleTimeout,

    /// <summary>The profile's <c>limits.maxCallDuration</c> was reached: <c>NextAction.Fallback</c>.</summary>
    MaxDuration,

    /// <summary>The profile's <c>limits.maxTokensPerCall</c> was spent: <c>NextAction.Fallback</c>.</summary>
    TokenBudget,

    /// <summary>The model session could not start or was lost for good (reconnecting given up): <c>NextAction.Fallback</c>.</summary>
    ModelLost,

    /// <summary>The model stalled and could not be revived: <c>NextAction.Fallback</c>.</summary>
    ModelStalled,

    /// <summary>The instance drained on shutdown and the call outlived <c>PhoneAgent:DrainTimeout</c>: <c>NextAction.Fallback</c>.</summary>
    ServerShutdown,

    /// <summary>A bug in the bridge: <c>NextAction.Fallback</c>.</summary>
    InternalError,

    /// <summary>The agent handed the caller to a human (<c>connect_to_human</c>, after it said so): <c>NextAction.Transfer</c>.</summary>
    Transferred,
}

internal static class CallEndReasons
{
    public static string Tag(CallEndReason reason) => reason switch
    {
        CallEndReason.CallerHungUp => "caller-hung-up",
        CallEndReason.TwilioSocketLost => "twilio-socket-lost",
        CallEndReason.AgentHungUp => "agent-hung-up",
        CallEndReason.IdleTimeout => "idle-timeout",
        CallEndReason.MaxDuration => "max-duration",
        CallEndReason.TokenBudget => "token-budget",
        CallEndReason.ModelLost => "model-lost",
        CallEndReason.ModelStalled => "model-stalled",
        CallEndReason.ServerShutdown => "server-shutdown",
        CallEndReason.Transferred => "transferred",
        _ => "internal-error",
    };
}
