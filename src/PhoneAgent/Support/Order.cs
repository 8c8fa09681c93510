namespace PhoneAgent.Support;

/// <summary>An order of a customer. Money is in minor units (cents) of <see cref="Currency"/>, never floating point.</summary>
/// <param name="Id">Order number as the caller reads it, e.g. <c>A1001</c>.</param>
/// <param name="CustomerId">The owning account.</param>
/// <param name="PlacedAt">When it was placed.</param>
/// <param name="Status">e.g. <c>processing</c>, <c>shipped</c>, <c>delivered</c>, <c>cancelled</c>.</param>
/// <param name="Summary">What was ordered, in a few words.</param>
/// <param name="Currency">ISO 4217 code, e.g. <c>USD</c>.</param>
/// <param name="TotalCents">What the customer paid.</param>
/// <param name="RefundedCents">Refunded so far (by every channel: this agent and humans).</param>
internal sealed record Order(
    string Id,
    string CustomerId,
    DateTimeOffset PlacedAt,
    string Status,
    string Summary,
    string Currency,
    long TotalCents,
    long RefundedCents)
{
    /// <summary>What may still be refunded.</summary>
    public long RefundableCents => Math.Max(0, TotalCents - RefundedCents);
}
