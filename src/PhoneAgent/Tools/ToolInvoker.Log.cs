namespace PhoneAgent.Tools;

internal sealed partial class ToolInvoker
{
    // EventIds 600-619 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Information, "Tool call {CallId}: {Tool} started", EventName = "ToolInvoking")]
        public static partial void Invoking(ILogger logger, string callId, string tool);

        [LoggerMessage(601, LogLevel.Information, "Tool call {CallId}: {Tool} answered ({Outcome}) after {ElapsedMs:0.0} ms", EventName = "ToolAnswered")]
        public static partial void Answered(ILogger logger, string callId, string tool, ToolCallOutcome outcome, double elapsedMs);

        [LoggerMessage(602, LogLevel.Warning, "Tool call {CallId}: {Tool} timed out after {Timeout}", EventName = "ToolTimedOut")]
        public static partial void TimedOut(ILogger logger, string callId, string tool, TimeSpan timeout);

        [LoggerMessage(603, LogLevel.Error, "Tool call {CallId}: {Tool} failed", EventName = "ToolFailed")]
        public static partial void Failed(ILogger logger, string callId, string tool, Exception exception);

        [LoggerMessage(604, LogLevel.Information, "Tool call {CallId}: {Tool} cancelled; it will not be answered", EventName = "ToolCancelled")]
        public static partial void Cancelled(ILogger logger, string callId, string tool);

        [LoggerMessage(605, LogLevel.Warning, "Tool call {CallId}: the model called {Tool}, which this call does not enable", EventName = "ToolUnknown")]
        public static partial void UnknownTool(ILogger logger, string callId, string tool);

        [LoggerMessage(606, LogLevel.Warning, "Tool call {CallId}: {Tool} came again (or after the call ended); ignored", EventName = "ToolDuplicateCall")]
        public static partial void DuplicateCall(ILogger logger, string callId, string tool);

        [LoggerMessage(607, LogLevel.Debug, "Tool call {CallId}: {Tool} is still running; hold cue on", EventName = "ToolHoldCue")]
        public static partial void HoldCue(ILogger logger, string callId, string tool);

        [LoggerMessage(608, LogLevel.Warning, "Tool call {CallId}: {Tool} changed something after its answer was lost ({Cause}); the model and the audit log are told", EventName = "ToolLateEffect")]
        public static partial void LateEffect(ILogger logger, string callId, string tool, ToolCancelCause cause);

        [LoggerMessage(609, LogLevel.Error, "Tool call {CallId}: the late effect of {Tool} could not be reported", EventName = "ToolLateEffectNotReported")]
        public static partial void LateEffectNotReported(ILogger logger, string callId, string tool, Exception exception);
    }
}
