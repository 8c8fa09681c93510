using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// Writes one connection's readable record twice: into its <see cref="EmulatorSessionLog"/> (for tests) and to the
/// logger (for people). Audio is summarised as byte counts; audio messages go to the logger at Debug only.
/// </summary>
internal sealed partial class SessionRecorder(EmulatorSessionLog log, ILogger logger, TimeProvider time)
{
    public EmulatorSessionLog Log { get; } = log;

    public string ConnectionId => Log.ConnectionId;

    private TimeSpan Now => time.GetUtcNow() - Log.ConnectedAt;

    public void Opened(string credentials) =>
        LogMessages.Opened(logger, ConnectionId, Log.Backend, Log.ApiVersion, Log.Path, credentials);

    public void ReceivedAudio(string kind, int bytes, int sampleRate, string mimeType)
    {
        Log.AddCallerAudio(Now, kind, bytes, sampleRate, mimeType);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // Only built when it is logged: this runs 50 times a second per call.
            LogMessages.ReceivedAudio(logger, ConnectionId, kind, $"{bytes} B ({bytes / 2.0 / sampleRate * 1000:0} ms, {mimeType})");
        }
    }

    public void Received(string kind, string text, int audioBytes = 0)
    {
        Log.Add(new EmulatorLogEntry(Now, EmulatorLogDirection.Received, kind, text) { AudioBytes = audioBytes });
        if (audioBytes > 0)
        {
            LogMessages.ReceivedAudio(logger, ConnectionId, kind, text);
        }
        else
        {
            LogMessages.Received(logger, ConnectionId, kind, text);
        }
    }

    public void Sent(ServerFrame frame)
    {
        Log.Add(new EmulatorLogEntry(Now, EmulatorLogDirection.Sent, frame.Kind, frame.Summary) { Turn = frame.Turn, AudioBytes = frame.AudioBytes });
        // The turn suffix is only built when the line is logged (audio chunks go out many times a second).
        var level = frame.AudioBytes > 0 || frame.Kind == "empty" ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        if (level == LogLevel.Debug)
        {
            LogMessages.SentAudio(logger, ConnectionId, frame.Kind, frame.Summary, TurnSuffix(frame.Turn));
        }
        else
        {
            LogMessages.Sent(logger, ConnectionId, frame.Kind, frame.Summary, TurnSuffix(frame.Turn));
        }
    }

    private static string TurnSuffix(int? turn) => turn is { } t ? $" [turn {t}]" : "";

    public void Note(string kind, string text, int? turn = null)
    {
        Log.Add(new EmulatorLogEntry(Now, EmulatorLogDirection.Note, kind, text) { Turn = turn });
        LogMessages.Note(logger, ConnectionId, kind, text);
    }

    public void Violation(ProtocolViolationException violation)
    {
        Note("violation", $"{violation.Message} → close {violation.CloseCode} \"{violation.Reason}\"");
        LogMessages.Violation(logger, ConnectionId, violation.CloseCode, violation.Reason, violation.Message);
    }

    public void Failure(Exception exception) => LogMessages.Failure(logger, ConnectionId, exception);

    public void Closed(int? code, string? reason, EmulatorCloseInitiator initiator)
    {
        Log.MarkClosed(time.GetUtcNow(), code, reason, initiator);
        Log.Add(new EmulatorLogEntry(Now, initiator == EmulatorCloseInitiator.Server ? EmulatorLogDirection.Sent : EmulatorLogDirection.Received, "close",
            code is null ? "(no close frame)" : $"{code} \"{reason}\""));
        LogMessages.Closed(logger, ConnectionId, initiator, code, reason ?? "");
    }
}
