namespace PhoneAgent.Support;

/// <summary>
/// One row of the tool audit log: every attempt of an action that matters (verification, look-ups, refunds,
/// transfers, callbacks), granted or refused. Written by the tools; <see cref="Detail"/> is redacted before storage.
/// </summary>
/// <param name="CallSid">The call.</param>
/// <param name="ToolCallId">The model's tool-call id (may be empty).</param>
/// <param name="Tool">Tool name, e.g. <c>process_refund</c>.</param>
/// <param name="Outcome">Short machine-readable result: <c>granted</c>, <c>refused</c>, <c>verified</c>, <c>failed</c>, <c>locked</c>, <c>transferred</c>, <c>scheduled</c>, <c>committed-after-reconnect</c>, ….</param>
/// <param name="Reason">Why, machine-readable (e.g. <c>not-verified</c>, <c>over-auto-approve-limit</c>, <c>exceeds-refundable</c>); empty when granted.</param>
/// <param name="CustomerId">The account concerned, when known.</param>
/// <param name="OrderId">The order concerned, when any.</param>
/// <param name="AmountCents">The amount concerned, when any.</param>
/// <param name="Detail">Free text for humans (redacted: no card numbers or CVV-like digit runs).</param>
/// <param name="At">When.</param>
internal sealed record ToolAuditEntry(
    string CallSid,
    string ToolCallId,
    string Tool,
    string Outcome,
    string Reason,
    string? CustomerId,
    string? OrderId,
    long? AmountCents,
    string Detail,
    DateTimeOffset At);
