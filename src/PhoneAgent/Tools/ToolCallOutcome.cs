namespace PhoneAgent.Tools;

/// <summary>How one tool call ended (the <c>outcome</c> tag of <c>phoneagent.bridge.tool.calls</c>).</summary>
internal enum ToolCallOutcome
{
    /// <summary>Answered with the handler's output.</summary>
    Success = 1,

    /// <summary>Answered with the handler's own error (<see cref="ToolResult.Failure"/> or <see cref="ToolException"/>).</summary>
    Error,

    /// <summary>The handler threw something else: answered with a generic error.</summary>
    Failed,

    /// <summary>Answered with a timeout error.</summary>
    Timeout,

    /// <summary>The model cancelled it, its connection was lost, or the call ended: never answered.</summary>
    Cancelled,

    /// <summary>The model called a tool this profile does not enable: answered with an error.</summary>
    Unknown,
}
