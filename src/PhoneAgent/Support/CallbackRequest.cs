namespace PhoneAgent.Support;

/// <summary>A callback the team owes a caller (<c>callbacks</c> table). ⚠️ <see cref="PhoneE164"/> is PII.</summary>
/// <param name="Id">Assigned by the store.</param>
/// <param name="CallSid">The call it was asked for on.</param>
/// <param name="CustomerId">The account, when verified.</param>
/// <param name="PhoneE164">Number to call back.</param>
/// <param name="DueAt">When, with the caller's offset.</param>
/// <param name="TimeZone">The IANA zone the time was read in.</param>
/// <param name="Topic">What about (redacted).</param>
/// <param name="CreatedAt">When it was asked for.</param>
internal sealed record CallbackRequest(string Id, string CallSid, string? CustomerId, string PhoneE164, DateTimeOffset DueAt, string TimeZone, string Topic, DateTimeOffset CreatedAt);
