using Microsoft.Extensions.Options;
using PhoneAgent.Model;
using PhoneAgent.Telephony.MediaStreams;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

/// <summary>
/// The bridge's <see cref="IMediaStreamHandler"/>: claims the model session pre-warmed at the voice webhook (or opens
/// one), runs a <see cref="CallSession"/> and counts the call against the instance's limit while it runs.
/// </summary>
/// <remarks>
/// The hand-off store and the audit log come from the support-data registration; a host without it (the Twilio edge
/// alone, some tests) still bridges calls, without the hand-off summary in a transfer's way back and without audit
/// entries for late tool effects.
/// </remarks>
internal sealed partial class CallSessionHandler(
    IRealtimeModelClient client,
    IModelSessionPrewarmer prewarmer,
    BridgeCallAdmission admission,
    IOptions<BridgeOptions> options,
    BridgeMetrics metrics,
    ToolRegistry tools,
    HoldCueAudio holdCues,
    Calls.ICallStore calls,
    IConfiguration configuration,
    ICallDrain drain,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    Support.IHandoffStore? handoffs = null,
    Support.IToolAuditLog? audit = null) : IMediaStreamHandler
{
    /// <summary><c>Logging:Transcripts</c>: write transcript lines to the log (off by default everywhere: caller speech is PII).</summary>
    public const string TranscriptsKey = "Logging:Transcripts";

    private readonly ILogger _logger = loggerFactory.CreateLogger<CallSessionHandler>();

    public async Task HandleAsync(MediaStreamSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var callSid = session.Call.CallSid;
        admission.StreamStarted(callSid);
        try
        {
            var model = (session.Ordinal == 1 ? prewarmer.Claim(callSid) : null)
                ?? client.Open(CallModelConfig.For(session.Profile, tools, callSid));
            Log.ModelSession(_logger, model.Id, model.Ready.IsCompletedSuccessfully);
            await using (model)
            {
                var context = new CallSessionContext(
                    options.Value, metrics, tools, holdCues, timeProvider, loggerFactory, calls,
                    configuration.GetValue(TranscriptsKey, defaultValue: false), drain.CallsMustEnd)
                {
                    Handoffs = handoffs,
                    Audit = audit,
                };
                await using var call = new CallSession(session, model, context);
                await call.RunAsync(cancellationToken);
            }
        }
        finally
        {
            admission.StreamEnded(callSid);
        }
    }

    // EventIds 570-579 belong to this class.
    private static partial class Log
    {
        [LoggerMessage(570, LogLevel.Debug, "Model session {SessionId} for the call (ready: {Ready})", EventName = "CallModelSession")]
        public static partial void ModelSession(ILogger logger, string sessionId, bool ready);
    }
}
