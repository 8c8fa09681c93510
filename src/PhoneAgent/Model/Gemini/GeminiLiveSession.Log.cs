namespace PhoneAgent.Model.Gemini;

internal sealed partial class GeminiLiveSession
{
    // EventIds 300-339 belong to GeminiLiveSession, 340-349 to GeminiConnection, 360-369 to tokens,
    // 370-379 to the connect pipeline, 380-399 to the client, registration and pre-warming. Never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Information, "Model session {SessionId}: model {Model} on {Backend}, capabilities {Capabilities}", EventName = "GeminiSessionOpening")]
        public static partial void Opening(ILogger logger, string sessionId, string model, GeminiBackend backend, GeminiModelCapabilities capabilities);

        [LoggerMessage(301, LogLevel.Information, "Gemini connection #{Connection}: connecting to {Uri} ({ModelResource}), phase {Phase}, {Plan}", EventName = "GeminiConnecting")]
        public static partial void Connecting(ILogger logger, int connection, string uri, string modelResource, GeminiConnectionPhase phase, string plan);

        [LoggerMessage(302, LogLevel.Warning,
            "Gemini connection #{Connection} failed in phase {Phase}: close {CloseCode} '{CloseReason}' ({Error}); policy: {Action}",
            EventName = "GeminiConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, int connection, GeminiConnectionPhase phase, int? closeCode, string closeReason, string error, GeminiCloseAction action);

        [LoggerMessage(303, LogLevel.Information, "Gemini connection #{Connection} ready (setupComplete, provider session '{ProviderSessionId}')", EventName = "GeminiReady")]
        public static partial void Ready(ILogger logger, int connection, string providerSessionId);

        [LoggerMessage(304, LogLevel.Information,
            "Gemini connection #{Connection} closed: close {CloseCode} '{CloseReason}' {TransportError} (by us: {ClosedByUs})",
            EventName = "GeminiConnectionClosed")]
        public static partial void ConnectionClosed(ILogger logger, int connection, int? closeCode, string closeReason, string transportError, bool closedByUs);

        [LoggerMessage(305, LogLevel.Warning,
            "Gemini connection #{Connection} lost: close {CloseCode} '{CloseReason}' {TransportError}; policy: {Action}",
            EventName = "GeminiConnectionLost")]
        public static partial void ConnectionLost(ILogger logger, int connection, int? closeCode, string closeReason, string transportError, GeminiCloseAction action);

        [LoggerMessage(306, LogLevel.Information, "Gemini session continues ({Kind}) after {Gap}", EventName = "GeminiResumed")]
        public static partial void Resumed(ILogger logger, ModelResumeKind kind, TimeSpan gap);

        [LoggerMessage(307, LogLevel.Information, "Gemini goAway: {TimeLeft} left; switching sockets at the next resumable turn boundary or in {Due}", EventName = "GeminiGoAway")]
        public static partial void GoAwayReceived(ILogger logger, TimeSpan timeLeft, TimeSpan due);

        [LoggerMessage(308, LogLevel.Information, "Gemini hand-over from connection #{Connection} ({Why}; handle available: {HasHandle})", EventName = "GeminiHandoverStarting")]
        public static partial void HandoverStarting(ILogger logger, int connection, string why, bool hasHandle);

        [LoggerMessage(309, LogLevel.Information, "Gemini hand-over done: #{OldConnection} → #{NewConnection} ({Kind}), caller audio held for {Gap}", EventName = "GeminiHandoverDone")]
        public static partial void HandoverDone(ILogger logger, int oldConnection, int newConnection, ModelResumeKind kind, TimeSpan gap);

        [LoggerMessage(310, LogLevel.Warning, "Gemini close {CloseCode} '{CloseReason}' in phase {Phase}: {Action}", EventName = "GeminiPolicyAction")]
        public static partial void PolicyAction(ILogger logger, int? closeCode, string closeReason, GeminiConnectionPhase phase, GeminiCloseAction action);

        [LoggerMessage(311, LogLevel.Warning, "Gemini region fail-over to {Location}", EventName = "GeminiRegionFailover")]
        public static partial void RegionFailover(ILogger logger, string location);

        [LoggerMessage(312, LogLevel.Information, "Model session closed (reconnects {Reconnects}, hand-overs {Handovers}, caller audio chunks dropped {InputDropped}, model audio chunks dropped {OutputDropped})", EventName = "GeminiSessionClosed")]
        public static partial void SessionClosed(ILogger logger, long reconnects, long handovers, long inputDropped, long outputDropped);

        [LoggerMessage(313, LogLevel.Error, "Model session ended: {Reason}, close {CloseCode} '{CloseReason}' {Error}", EventName = "GeminiSessionFailed")]
        public static partial void SessionFailed(ILogger logger, ModelSessionEndReason reason, int? closeCode, string closeReason, string error);

        [LoggerMessage(314, LogLevel.Error, "Model session supervisor failed", EventName = "GeminiSupervisorFailed")]
        public static partial void SupervisorFailed(ILogger logger, Exception exception);

        [LoggerMessage(315, LogLevel.Warning, "Tool result for call {CallId} ({Name}) dropped: the call is not open on connection #{Connection} (cancelled, answered, or lost with its connection)", EventName = "GeminiToolResultDropped")]
        public static partial void ToolResultDropped(ILogger logger, string callId, string name, int connection);

        [LoggerMessage(316, LogLevel.Debug, "Model turn {Turn} interrupted; {Discarded} queued audio chunk(s) discarded", EventName = "GeminiInterrupted")]
        public static partial void InterruptedTurn(ILogger logger, long turn, int discarded);

        [LoggerMessage(317, LogLevel.Debug, "Gemini connection #{Connection}: fields not used: {Fields}", EventName = "GeminiIgnoredFields")]
        public static partial void IgnoredFields(ILogger logger, int connection, string fields);

        [LoggerMessage(318, LogLevel.Debug, "Gemini connection #{Connection} is retired; ignored a message with {AudioParts} audio part(s), {Calls} tool call(s)", EventName = "GeminiLateMessage")]
        public static partial void LateMessage(ILogger logger, int connection, int audioParts, int calls);

        [LoggerMessage(319, LogLevel.Warning, "Gemini connection #{Connection}: skipped a bad frame of {Bytes} bytes: {Error}", EventName = "GeminiBadFrame")]
        public static partial void BadFrame(ILogger logger, int connection, int bytes, string error);

        [LoggerMessage(320, LogLevel.Trace, "Gemini connection #{Connection}: bad frame starts with {Preview}", EventName = "GeminiBadFramePreview")]
        public static partial void BadFramePreview(ILogger logger, int connection, string preview);

        [LoggerMessage(321, LogLevel.Warning, "Gemini reconnect requested on connection #{Connection}: {Reason}", EventName = "GeminiReconnectRequested")]
        public static partial void ReconnectRequested(ILogger logger, int connection, string reason);

        [LoggerMessage(322, LogLevel.Information, "Gemini reconnect requested ({Reason}) while no connection is active; ignored", EventName = "GeminiReconnectIgnored")]
        public static partial void ReconnectIgnored(ILogger logger, string reason);

        [LoggerMessage(323, LogLevel.Warning, "Gemini connection #{Connection} dropped on request ({Reason}); handle available: {HasHandle}", EventName = "GeminiForcedReconnect")]
        public static partial void ForcedReconnect(ILogger logger, int connection, string reason, bool hasHandle);

        [LoggerMessage(324, LogLevel.Information, "Gemini connection #{Connection}: replaying {Chunks} caller audio item(s) ({Duration}) sent after the resumption handle", EventName = "GeminiReplayingCallerAudio")]
        public static partial void ReplayingCallerAudio(ILogger logger, int connection, int chunks, TimeSpan duration);
    }
}
