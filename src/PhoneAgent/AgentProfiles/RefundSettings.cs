namespace PhoneAgent.AgentProfiles;

/// <summary><c>refunds</c>: what <c>process_refund</c> may grant without a human.</summary>
internal sealed record RefundSettings
{
    /// <summary>Largest refund (currency units, e.g. <c>50.00</c>) the agent grants itself; above it a human must approve. Required with <c>process_refund</c>.</summary>
    public decimal? AutoApproveLimit { get; set; }

    /// <summary>ISO 4217 code of <see cref="AutoApproveLimit"/>; orders in another currency need a human.</summary>
    /// <value>The default value is <c>USD</c>.</value>
    public string Currency { get; set; } = "USD";
}
