namespace PhoneAgent.GeminiLiveEmulator.Sessions;

internal sealed partial class SessionRecorder
{
    // EventIds 1-19 belong to the session recorder; never reuse a removed id.
    private static partial class LogMessages
    {
        [LoggerMessage(1, LogLevel.Information, "{ConnectionId} opened: {Backend} {Version} {Path} ({Credentials})", EventName = "SessionOpened")]
        public static partial void Opened(ILogger logger, string connectionId, EmulatorBackend backend, string version, string path, string credentials);

        [LoggerMessage(2, LogLevel.Information, "{ConnectionId} <- {Kind} {Text}", EventName = "MessageReceived")]
        public static partial void Received(ILogger logger, string connectionId, string kind, string text);

        [LoggerMessage(3, LogLevel.Debug, "{ConnectionId} <- {Kind} {Text}", EventName = "AudioReceived")]
        public static partial void ReceivedAudio(ILogger logger, string connectionId, string kind, string text);

        [LoggerMessage(4, LogLevel.Information, "{ConnectionId} -> {Kind}{Turn} {Text}", EventName = "MessageSent")]
        public static partial void Sent(ILogger logger, string connectionId, string kind, string text, string turn);

        [LoggerMessage(5, LogLevel.Debug, "{ConnectionId} -> {Kind}{Turn} {Text}", EventName = "AudioSent")]
        public static partial void SentAudio(ILogger logger, string connectionId, string kind, string text, string turn);

        [LoggerMessage(6, LogLevel.Information, "{ConnectionId} .. {Kind}: {Text}", EventName = "SessionNote")]
        public static partial void Note(ILogger logger, string connectionId, string kind, string text);

        [LoggerMessage(7, LogLevel.Warning, "{ConnectionId} protocol violation, closing {Code} \"{Reason}\": {Detail}", EventName = "ProtocolViolation")]
        public static partial void Violation(ILogger logger, string connectionId, int code, string reason, string detail);

        [LoggerMessage(8, LogLevel.Error, "{ConnectionId} emulator failure; closing 1011", EventName = "EmulatorFailure")]
        public static partial void Failure(ILogger logger, string connectionId, Exception exception);

        [LoggerMessage(9, LogLevel.Information, "{ConnectionId} closed by {Initiator}: {Code} \"{Reason}\"", EventName = "SessionClosed")]
        public static partial void Closed(ILogger logger, string connectionId, EmulatorCloseInitiator initiator, int? code, string reason);
    }
}
