using PhoneAgent.Calls;
using PhoneAgent.Support;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

/// <summary>What every call session shares (built once by <see cref="CallSessionHandler"/>).</summary>
/// <param name="Options">The bridge's settings.</param>
/// <param name="Metrics">Instruments.</param>
/// <param name="Tools">The tool registry.</param>
/// <param name="HoldCues">Hold-cue audio per profile.</param>
/// <param name="TimeProvider">The clock of pacing, watchdogs and tool timeouts.</param>
/// <param name="LoggerFactory">Loggers.</param>
/// <param name="Calls">The call store (transcripts).</param>
/// <param name="LogTranscripts"><c>Logging:Transcripts</c>.</param>
/// <param name="Stopping">The drain deadline after SIGTERM has passed (<c>PhoneAgent:DrainTimeout</c>): the call ends with the fallback.</param>
internal sealed record CallSessionContext(
    BridgeOptions Options,
    BridgeMetrics Metrics,
    ToolRegistry Tools,
    HoldCueAudio HoldCues,
    TimeProvider TimeProvider,
    ILoggerFactory LoggerFactory,
    ICallStore Calls,
    bool LogTranscripts,
    CancellationToken Stopping)
{
    /// <summary>Hand-off summaries: read when a caller comes back from an unanswered transfer.</summary>
    public IHandoffStore? Handoffs { get; init; }

    /// <summary>The tool audit log: tool calls that committed after their answer was lost are marked there.</summary>
    public IToolAuditLog? Audit { get; init; }
}
