using PhoneAgent.Model;

namespace PhoneAgent.Bridge;

internal sealed partial class CallSession
{
    // EventIds 500-549 belong to this class; never reuse a removed id. Frame-level events are never logged.
    private static partial class Log
    {
        [LoggerMessage(500, LogLevel.Information, "Call session started: stream {Ordinal}, profile {Profile}, playout lead {LeadMs} ms", EventName = "CallSessionStarted")]
        public static partial void Started(ILogger logger, int ordinal, string profile, double leadMs);

        [LoggerMessage(501, LogLevel.Information, "Call session ending: {Reason}; next action {Action}", EventName = "CallSessionEnding")]
        public static partial void Ending(ILogger logger, string reason, string action);

        [LoggerMessage(502, LogLevel.Information,
            "Call session ended: {Reason} after {Seconds:0.0} s; caller frames {CallerFrames} (+{SilenceFrames} silence), agent frames {AgentFrames}, barge-ins {BargeIns}, model reconnects {Reconnects}",
            EventName = "CallSessionEnded")]
        public static partial void Ended(ILogger logger, string reason, double seconds, long callerFrames, long silenceFrames, long agentFrames, int bargeIns, long reconnects);

        [LoggerMessage(503, LogLevel.Warning, "Model session ended for good: {Reason} (close {CloseCode} '{CloseReason}'); the call goes to the fallback", EventName = "CallModelLost")]
        public static partial void ModelEnded(ILogger logger, ModelSessionEndReason reason, int? closeCode, string closeReason);

        [LoggerMessage(504, LogLevel.Warning, "Model session never became ready: {Error}", EventName = "CallModelNotReady")]
        public static partial void ModelNotReady(ILogger logger, string error);

        [LoggerMessage(505, LogLevel.Information, "Greeting requested {ElapsedMs:0} ms after the stream started", EventName = "CallGreeting")]
        public static partial void Greeting(ILogger logger, double elapsedMs);

        [LoggerMessage(506, LogLevel.Warning, "Model session did not close in time", EventName = "CallModelCloseSlow")]
        public static partial void ModelCloseSlow(ILogger logger);

        [LoggerMessage(507, LogLevel.Error, "A call session loop failed", EventName = "CallLoopFailed")]
        public static partial void LoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(508, LogLevel.Warning, "The transcript could not be stored", EventName = "CallTranscriptNotStored")]
        public static partial void TranscriptNotStored(ILogger logger, Exception exception);

        [LoggerMessage(509, LogLevel.Information, "Model goAway: {TimeLeft} left; the session hands over by itself", EventName = "CallModelGoAway")]
        public static partial void GoAway(ILogger logger, TimeSpan timeLeft);

        [LoggerMessage(510, LogLevel.Warning, "Model connection lost ({Cause}, close {CloseCode} '{CloseReason}'); reconnecting while the call goes on", EventName = "CallModelReconnecting")]
        public static partial void ModelReconnecting(ILogger logger, ModelReconnectCause cause, int? closeCode, string closeReason);

        [LoggerMessage(511, LogLevel.Information, "Model connection resumed ({Kind}) after {GapMs:0} ms", EventName = "CallModelResumed")]
        public static partial void ModelResumed(ILogger logger, ModelResumeKind kind, double gapMs);

        [LoggerMessage(512, LogLevel.Warning, "Twilio clear was not written within 1 s", EventName = "CallClearSlow")]
        public static partial void ClearSlow(ILogger logger);

        [LoggerMessage(513, LogLevel.Debug, "Barge-in on model turn {Turn}, which had no audio: clear sent", EventName = "CallBargeInNoAudio")]
        public static partial void BargeInNoAudio(ILogger logger, long turn);

        [LoggerMessage(514, LogLevel.Information,
            "Barge-in on model turn {Turn}: heard {HeardMs:0} of {ReceivedMs:0} ms; {Dropped} queued frames dropped; clear written after {ClearMs:0.000} ms",
            EventName = "CallBargeIn")]
        public static partial void BargeIn(ILogger logger, long turn, double heardMs, double receivedMs, int dropped, double clearMs);

        [LoggerMessage(515, LogLevel.Warning, "The model takes no mid-session content: the heard-text note is not sent", EventName = "CallNoteNotSupported")]
        public static partial void NoteNotSupported(ILogger logger);

        [LoggerMessage(516, LogLevel.Warning, "Token budget spent: {Used} of {Budget}; the call goes to the fallback", EventName = "CallTokenBudget")]
        public static partial void TokenBudget(ILogger logger, long used, int budget);

        [LoggerMessage(517, LogLevel.Information, "Hang-up armed ({Reason}): after the goodbye is played", EventName = "CallHangupArmed")]
        public static partial void HangupArmed(ILogger logger, string reason);

        [LoggerMessage(518, LogLevel.Information, "Goodbye played; hanging up ({Reason}) at {Seconds:0.0} s", EventName = "CallHangingUp")]
        public static partial void HangingUp(ILogger logger, string reason, double seconds);

        [LoggerMessage(519, LogLevel.Warning, "No goodbye was played within the end-call timeout; hanging up ({Reason})", EventName = "CallHangupTimeout")]
        public static partial void HangupTimeout(ILogger logger, string reason);

        [LoggerMessage(520, LogLevel.Information, "The caller cut the goodbye off; the hang-up waits for the next goodbye", EventName = "CallHangupPostponed")]
        public static partial void HangupPostponed(ILogger logger);

        [LoggerMessage(521, LogLevel.Information, "Maximum call duration {Limit} reached; the call goes to the fallback", EventName = "CallMaxDuration")]
        public static partial void MaxDuration(ILogger logger, TimeSpan limit);

        [LoggerMessage(522, LogLevel.Information, "Caller silent: reprompt {Count} after {Seconds:0} s", EventName = "CallIdleReprompt")]
        public static partial void IdleReprompt(ILogger logger, int count, double seconds);

        [LoggerMessage(523, LogLevel.Information, "Caller silent after every reprompt: goodbye and hang-up", EventName = "CallIdleGiveUp")]
        public static partial void IdleGiveUp(ILogger logger);

        [LoggerMessage(524, LogLevel.Warning, "Model said nothing {Timeout} after the caller's turn: nudged", EventName = "CallStallNudge")]
        public static partial void StallNudge(ILogger logger, TimeSpan timeout);

        [LoggerMessage(525, LogLevel.Warning, "Model still silent after the nudge: reconnecting with the resumption handle", EventName = "CallStallReconnect")]
        public static partial void StallReconnect(ILogger logger);

        [LoggerMessage(526, LogLevel.Warning, "Model still silent after the nudge and the session cannot reconnect on request: the call goes to the fallback", EventName = "CallStallGiveUp")]
        public static partial void StallGiveUp(ILogger logger);

        [LoggerMessage(527, LogLevel.Information, "Transfer armed ({Action}, {TimeoutSeconds:0} s): after the agent's next turn is played", EventName = "CallTransferArmed")]
        public static partial void TransferArmed(ILogger logger, AgentProfiles.TransferAction action, double timeoutSeconds);

        [LoggerMessage(528, LogLevel.Information, "Hand-off message played; transferring at {Seconds:0.0} s", EventName = "CallTransferring")]
        public static partial void Transferring(ILogger logger, double seconds);

        [LoggerMessage(529, LogLevel.Warning, "No hand-off message was played within the end-call timeout; transferring anyway", EventName = "CallTransferTimeout")]
        public static partial void TransferTimeout(ILogger logger);

        [LoggerMessage(530, LogLevel.Warning, "The hand-off summary could not be read; the agent is told about the transfer without it", EventName = "CallHandoffNotRead")]
        public static partial void HandoffNotRead(ILogger logger, Exception exception);

        [LoggerMessage(531, LogLevel.Error, "Tool call {CallId}: the late effect of {Tool} could not be audited", EventName = "CallLateEffectNotAudited")]
        public static partial void LateEffectNotAudited(ILogger logger, string callId, string tool, Exception exception);

        [LoggerMessage(532, LogLevel.Information, "Back from an unanswered transfer ({Outcome}); the agent is told, then {WhenUnanswered}", EventName = "CallBackFromTransfer")]
        public static partial void BackFromTransfer(ILogger logger, string outcome, AgentProfiles.TransferFallback whenUnanswered);
    }
}
