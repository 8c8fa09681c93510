using System.Diagnostics.Metrics;

namespace PhoneAgent.Telephony;

/// <summary>The Twilio edge's instruments, on the Meter <c>PhoneAgent.Twilio</c>.</summary>
internal sealed class TwilioMetrics
{
    private readonly Counter<long> _webhookSignatures;
    private readonly Counter<long> _upgradeSignatures;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _protocolIssues;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _restRequests;
    private readonly UpDownCounter<long> _activeStreams;

    public TwilioMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(TwilioDefaults.MeterName);
        _webhookSignatures = meter.CreateCounter<long>("phoneagent.twilio.webhook.signatures", "{request}", "Webhook signature checks by endpoint and result.");
        _upgradeSignatures = meter.CreateCounter<long>("phoneagent.twilio.stream.upgrade_signatures", "{request}", "Media stream upgrade signature checks by matched URL variant and mode.");
        _handshakes = meter.CreateCounter<long>("phoneagent.twilio.stream.handshakes", "{stream}", "Media stream handshakes by result.");
        _protocolIssues = meter.CreateCounter<long>("phoneagent.twilio.stream.protocol_issues", "{message}", "Inbound stream messages that were malformed, unknown, binary, oversized or out of sequence.");
        _frames = meter.CreateCounter<long>("phoneagent.twilio.stream.frames", "{frame}", "20 ms media frames by direction.");
        _framesDropped = meter.CreateCounter<long>("phoneagent.twilio.stream.frames_dropped", "{frame}", "Media frames dropped by direction and reason.");
        _restRequests = meter.CreateCounter<long>("phoneagent.twilio.rest.requests", "{request}", "Twilio REST call-control requests by operation and outcome.");
        _activeStreams = meter.CreateUpDownCounter<long>("phoneagent.twilio.stream.active", "{stream}", "Media streams currently open.");
    }

    public void WebhookSignature(string endpoint, string result) =>
        _webhookSignatures.Add(1, new("endpoint", endpoint), new("result", result));

    public void UpgradeSignature(UpgradeSignatureVariant variant, string mode) =>
        _upgradeSignatures.Add(1, new("variant", VariantTag(variant)), new("mode", mode));

    public void Handshake(string result) => _handshakes.Add(1, new KeyValuePair<string, object?>("result", result));

    public void ProtocolIssue(StreamProtocolIssue issue) =>
        _protocolIssues.Add(1, new KeyValuePair<string, object?>("kind", IssueTag(issue)));

    public void FrameIn() => _frames.Add(1, new KeyValuePair<string, object?>("direction", "in"));

    public void FrameOut() => _frames.Add(1, new KeyValuePair<string, object?>("direction", "out"));

    public void FramesDropped(string direction, string reason, int count) =>
        _framesDropped.Add(count, new("direction", direction), new("reason", reason));

    public void RestRequest(string operation, string outcome) =>
        _restRequests.Add(1, new("operation", operation), new("outcome", outcome));

    public void StreamOpened() => _activeStreams.Add(1);

    public void StreamClosed() => _activeStreams.Add(-1);

    internal static string VariantTag(UpgradeSignatureVariant variant) => variant switch
    {
        UpgradeSignatureVariant.Missing => "missing",
        UpgradeSignatureVariant.None => "none",
        UpgradeSignatureVariant.Exact => "exact",
        UpgradeSignatureVariant.TrailingSlash => "trailing-slash",
        UpgradeSignatureVariant.Port => "port",
        UpgradeSignatureVariant.PortTrailingSlash => "port-trailing-slash",
        UpgradeSignatureVariant.HelperPort => "helper-port-80",
        UpgradeSignatureVariant.Skipped => "skipped",
        _ => "unknown",
    };

    internal static string IssueTag(StreamProtocolIssue issue) => issue switch
    {
        StreamProtocolIssue.MalformedJson => "malformed-json",
        StreamProtocolIssue.BadBase64 => "bad-base64",
        StreamProtocolIssue.UnknownEvent => "unknown-event",
        StreamProtocolIssue.BinaryFrame => "binary-frame",
        StreamProtocolIssue.SequenceGap => "sequence-gap",
        StreamProtocolIssue.ChunkGap => "chunk-gap",
        StreamProtocolIssue.UnexpectedMessage => "unexpected-message",
        StreamProtocolIssue.UnknownMark => "unknown-mark",
        StreamProtocolIssue.Oversized => "oversized",
        _ => "unknown",
    };
}

/// <summary>Kinds of bad input on a media stream: counted every time, logged once per call.</summary>
internal enum StreamProtocolIssue
{
    /// <summary>Not JSON, truncated JSON, or a known event missing required fields.</summary>
    MalformedJson,

    /// <summary>A <c>media.payload</c> that is not base64.</summary>
    BadBase64,

    /// <summary>An <c>event</c> this service does not know.</summary>
    UnknownEvent,

    /// <summary>A binary WebSocket frame (Twilio sends text only).</summary>
    BinaryFrame,

    /// <summary><c>sequenceNumber</c> did not follow the previous one.</summary>
    SequenceGap,

    /// <summary><c>media.chunk</c> did not follow the previous one.</summary>
    ChunkGap,

    /// <summary>A known message at the wrong time (media before start, a second start, another streamSid).</summary>
    UnexpectedMessage,

    /// <summary>A mark echo whose name this service never sent.</summary>
    UnknownMark,

    /// <summary>A message larger than <c>Twilio:MaxMessageBytes</c>; the stream is closed with 1009.</summary>
    Oversized,
}
