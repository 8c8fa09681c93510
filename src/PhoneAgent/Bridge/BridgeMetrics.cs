using System.Diagnostics.Metrics;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

/// <summary>
/// The bridge's instruments, on the Meter <c>PhoneAgent.Bridge</c>, exported on <c>/metrics</c> by OpenTelemetry's
/// Prometheus exporter (which turns dots into underscores, appends the unit to histograms, <c>_total</c> to counters).
/// </summary>
/// <remarks>
/// Names and units are fixed for the operations dashboard (Prometheus name in brackets):
/// <list type="table">
/// <item><term><c>phoneagent.bridge.calls.active</c> {call}</term><description>UpDownCounter: calls in flight on this instance [<c>phoneagent_bridge_calls_active</c>].</description></item>
/// <item><term><c>phoneagent.bridge.calls.ended</c> {call}</term><description>Counter by <c>reason</c> (<see cref="CallEndReason"/>, kebab-case) [<c>phoneagent_bridge_calls_ended_total</c>].</description></item>
/// <item><term><c>phoneagent.bridge.calls.refused</c> {call}</term><description>Counter of calls turned away at the webhook, by <c>reason</c> (<c>max-concurrent-calls</c>, <c>caller-rate</c>) [<c>phoneagent_bridge_calls_refused_total</c>].</description></item>
/// <item><term><c>phoneagent.bridge.step.duration</c> ms</term><description>Histogram of bridge processing time per step, from dequeue to <c>SendAsync</c> completion, excluding time spent waiting for a pacing deadline; <c>step</c> = <c>caller_frame_to_model</c> (a caller frame taken from the Twilio lane until the model client has it), <c>model_chunk_to_twilio</c> (a model chunk taken from the audio lane, resampled, encoded and framed, plus its first frame's send on the Twilio socket once released), <c>interrupted_to_clear</c> (the <c>interrupted</c> event taken from the model lane until Twilio's <c>clear</c> is written) [<c>phoneagent_bridge_step_duration_milliseconds_bucket</c>].</description></item>
/// <item><term><c>phoneagent.bridge.pacing.lead</c> ms</term><description>Histogram: agent audio queued at Twilio right after each frame is sent (the pacer keeps it at most <c>Bridge:PlayoutLead</c>) [<c>phoneagent_bridge_pacing_lead_milliseconds_bucket</c>].</description></item>
/// <item><term><c>phoneagent.bridge.pacing.start_wait</c> ms</term><description>Histogram: how long each talk spurt's first frame waited for <c>Bridge:PlayoutStartBuffer</c> (0 when enough was in hand; at most <c>Bridge:PlayoutStartMaxWait</c> plus a timer's lateness) [<c>phoneagent_bridge_pacing_start_wait_milliseconds_bucket</c>].</description></item>
/// <item><term><c>phoneagent.bridge.frames.dropped</c> {frame}</term><description>Counter by <c>direction</c> (<c>caller_to_model</c>, <c>model_to_caller</c>) and <c>reason</c> (<c>interrupted</c>, <c>backlog</c>, <c>call-ended</c>) [<c>phoneagent_bridge_frames_dropped_total</c>]. The Twilio lane's own drops are <c>phoneagent.twilio.stream.frames_dropped</c>.</description></item>
/// <item><term><c>phoneagent.bridge.model.reconnects</c> {reconnect}</term><description>Counter by <c>cause</c> (<c>transport-lost</c>, <c>closed-by-provider</c>, <c>go-away-deadline</c>, <c>stall</c>) [<c>phoneagent_bridge_model_reconnects_total</c>].</description></item>
/// <item><term><c>phoneagent.bridge.tool.calls</c> {call}</term><description>Counter by <c>tool</c> and <c>outcome</c> (<see cref="ToolCallOutcome"/>, kebab-case) [<c>phoneagent_bridge_tool_calls_total</c>].</description></item>
/// <item><term><c>phoneagent.bridge.model.tokens</c> {token}</term><description>Counter by <c>type</c> (<c>prompt</c>, <c>response</c>, <c>total</c>) from usageMetadata [<c>phoneagent_bridge_model_tokens_total</c>].</description></item>
/// </list>
/// Histogram buckets (ms): 0.025 … 100, so sub-millisecond steps are visible (the goal is p99 under 1 ms).
/// </remarks>
internal sealed class BridgeMetrics
{
    public const string MeterName = "PhoneAgent.Bridge";

    public const string CallerFrameToModel = "caller_frame_to_model";
    public const string ModelChunkToTwilio = "model_chunk_to_twilio";
    public const string InterruptedToClear = "interrupted_to_clear";

    public const string CallerToModel = "caller_to_model";
    public const string ModelToCaller = "model_to_caller";

    private static readonly double[] MillisecondBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100];
    private static readonly double[] LeadBuckets = [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 250, 300, 500, 1000];
    private static readonly double[] StartWaitBuckets = [0, 5, 10, 15, 20, 30, 40, 50, 100, 200];

    private static readonly KeyValuePair<string, object?> CallerFrameTag = new("step", CallerFrameToModel);
    private static readonly KeyValuePair<string, object?> ModelChunkTag = new("step", ModelChunkToTwilio);
    private static readonly KeyValuePair<string, object?> InterruptedTag = new("step", InterruptedToClear);

    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _step;
    private readonly Histogram<double> _lead;
    private readonly Histogram<double> _startWait;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _toolCalls;
    private readonly Counter<long> _tokens;

    public BridgeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _active = meter.CreateUpDownCounter<long>("phoneagent.bridge.calls.active", "{call}", "Calls in flight on this instance.");
        _ended = meter.CreateCounter<long>("phoneagent.bridge.calls.ended", "{call}", "Calls ended, by end reason.");
        _refused = meter.CreateCounter<long>("phoneagent.bridge.calls.refused", "{call}", "Calls turned away at the voice webhook (fallback), by reason.");
        _step = meter.CreateHistogram<double>(
            "phoneagent.bridge.step.duration", "ms", "Bridge processing time per step, excluding pacing waits.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _lead = meter.CreateHistogram<double>(
            "phoneagent.bridge.pacing.lead", "ms", "Agent audio queued at Twilio after each frame sent.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LeadBuckets });
        _startWait = meter.CreateHistogram<double>(
            "phoneagent.bridge.pacing.start_wait", "ms", "How long a talk spurt's first frame waited for the playout start buffer.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StartWaitBuckets });
        _dropped = meter.CreateCounter<long>("phoneagent.bridge.frames.dropped", "{frame}", "20 ms frames the bridge dropped, by direction and reason.");
        _reconnects = meter.CreateCounter<long>("phoneagent.bridge.model.reconnects", "{reconnect}", "Model connections lost or replaced mid-call, by cause.");
        _toolCalls = meter.CreateCounter<long>("phoneagent.bridge.tool.calls", "{call}", "Tool calls by tool and outcome.");
        _tokens = meter.CreateCounter<long>("phoneagent.bridge.model.tokens", "{token}", "Model tokens reported in usageMetadata, by type.");
    }

    public void CallStarted() => _active.Add(1);

    public void CallEnded(CallEndReason reason)
    {
        _active.Add(-1);
        _ended.Add(1, new KeyValuePair<string, object?>("reason", CallEndReasons.Tag(reason)));
    }

    public void CallRefused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CallerFrameProcessed(double milliseconds) => _step.Record(milliseconds, CallerFrameTag);

    public void ModelChunkProcessed(double milliseconds) => _step.Record(milliseconds, ModelChunkTag);

    public void ClearSent(double milliseconds) => _step.Record(milliseconds, InterruptedTag);

    public void PacingLead(double milliseconds) => _lead.Record(milliseconds);

    public void PacingStartWait(double milliseconds) => _startWait.Record(milliseconds);

    public void FramesDropped(string direction, string reason, long count)
    {
        if (count > 0)
        {
            _dropped.Add(count, new("direction", direction), new("reason", reason));
        }
    }

    public void ModelReconnect(string cause) => _reconnects.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void ToolCall(string tool, ToolCallOutcome outcome) =>
        _toolCalls.Add(1, new("tool", tool), new("outcome", outcome.ToString().ToLowerInvariant()));

    public void Tokens(string type, long count)
    {
        if (count > 0)
        {
            _tokens.Add(count, new KeyValuePair<string, object?>("type", type));
        }
    }
}
