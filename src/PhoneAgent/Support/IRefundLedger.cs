namespace PhoneAgent.Support;

/// <summary>Refunds that happen exactly once, however often the model asks and however many callers or humans race.</summary>
internal interface IRefundLedger
{
    /// <summary>
    /// In one transaction: insert the refund (unique on CallSid + order), raise the order's refunded amount with a
    /// conditional update (<c>WHERE total - refunded &gt;= amount</c>, so concurrent refunds can never pass the total),
    /// then call <paramref name="stillWanted"/> last of all and commit only when it returns <see langword="true"/>.
    /// </summary>
    ValueTask<RefundOutcome> TryRefundAsync(RefundRequest request, Func<bool> stillWanted, CancellationToken cancellationToken);

    /// <summary>The refunds of one order, oldest first.</summary>
    ValueTask<IReadOnlyList<RefundRecord>> ListByOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>The refunds made during one call, oldest first.</summary>
    ValueTask<IReadOnlyList<RefundRecord>> ListByCallAsync(string callSid, CancellationToken cancellationToken);
}

/// <summary>A row of <c>refunds</c>.</summary>
internal sealed record RefundRecord(string Id, string CallSid, string ToolCallId, string OrderId, long AmountCents, string Currency, string Reason, DateTimeOffset CreatedAt);
