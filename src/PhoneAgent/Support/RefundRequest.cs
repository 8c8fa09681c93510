namespace PhoneAgent.Support;

/// <summary>One refund the agent wants to make (already checked against the profile's policy by the tool).</summary>
/// <param name="CallSid">The call; at most one refund per order per call (unique key on CallSid and order).</param>
/// <param name="ToolCallId">The model's tool-call id, for the audit trail (may be empty: the model sent none).</param>
/// <param name="CustomerId">The verified caller's account; the order must belong to it.</param>
/// <param name="OrderId">The order.</param>
/// <param name="AmountCents">Positive, in the order's currency.</param>
/// <param name="Reason">Why (redacted before storage).</param>
/// <param name="RequestedAt">Now, from the injected <see cref="TimeProvider"/>.</param>
internal sealed record RefundRequest(
    string CallSid,
    string ToolCallId,
    string CustomerId,
    string OrderId,
    long AmountCents,
    string Reason,
    DateTimeOffset RequestedAt);
