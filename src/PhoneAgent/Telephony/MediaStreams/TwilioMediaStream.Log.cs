namespace PhoneAgent.Telephony.MediaStreams;

internal sealed partial class TwilioMediaStream
{
    // EventIds 160-179 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(160, LogLevel.Debug, "Media stream connected", EventName = "StreamConnected")]
        public static partial void Connected(ILogger logger);

        [LoggerMessage(161, LogLevel.Warning, "Media stream protocol issue '{Kind}' (logged once per call, counted every time)", EventName = "StreamProtocolIssue")]
        public static partial void ProtocolIssue(ILogger logger, string kind);

        [LoggerMessage(162, LogLevel.Information, "Media stream socket failed: {Error}", EventName = "StreamSocketFailed")]
        public static partial void SocketFailed(ILogger logger, string error);

        [LoggerMessage(163, LogLevel.Debug, "Closing media stream with {CloseStatus} ({Description})", EventName = "StreamClosing")]
        public static partial void Closing(ILogger logger, int closeStatus, string description);
    }
}
