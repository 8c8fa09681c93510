namespace PhoneAgent.Support;

/// <summary>What the human taking a transferred call is told (<c>handoffs</c> table). Redacted before storage.</summary>
/// <param name="CallSid">The call.</param>
/// <param name="Reason">Why the caller wants a human (the model's words).</param>
/// <param name="Summary">The conversation so far, for the human.</param>
/// <param name="CustomerId">The verified account, when verified.</param>
/// <param name="Target">Where the call goes (queue name, number or SIP URI).</param>
/// <param name="CreatedAt">When.</param>
internal sealed record HandoffSummary(string CallSid, string Reason, string Summary, string? CustomerId, string Target, DateTimeOffset CreatedAt);
