namespace PhoneAgent.Support;

/// <summary>What <see cref="IRefundLedger.TryRefundAsync"/> did. Only <see cref="RefundStatus.Granted"/> moved money.</summary>
/// <param name="Status">Granted or why not.</param>
/// <param name="RefundId">The refund's id when granted, or the existing one for <see cref="RefundStatus.AlreadyRefundedThisCall"/>.</param>
/// <param name="AmountCents">The amount granted (or already refunded in this call).</param>
/// <param name="RemainingCents">What the order may still be refunded after this attempt.</param>
/// <param name="Currency">The order's currency, when the order was found.</param>
internal sealed record RefundOutcome(RefundStatus Status, string? RefundId, long AmountCents, long RemainingCents, string? Currency);

internal enum RefundStatus
{
    /// <summary>Committed: one row in <c>refunds</c>, the order's refunded amount raised in the same transaction.</summary>
    Granted = 1,

    /// <summary>No such order, or not the caller's (the two are not told apart to the caller).</summary>
    OrderNotFound,

    /// <summary>More than the order's remaining refundable amount (checked by the conditional update, not a read).</summary>
    ExceedsRefundable,

    /// <summary>This call already refunded this order (unique CallSid + order): a duplicate or a retry. Nothing moved.</summary>
    AlreadyRefundedThisCall,

    /// <summary>The tool call was cancelled (barge-in, reconnect, hang-up) before the commit: rolled back.</summary>
    Cancelled,
}
