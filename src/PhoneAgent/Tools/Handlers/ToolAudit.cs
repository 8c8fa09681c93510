using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>Writes one <see cref="ToolAuditEntry"/> per attempt, granted or refused, for the invocation's call.</summary>
internal sealed class ToolAudit(IToolAuditLog log, TimeProvider timeProvider)
{
    /// <summary>
    /// Appends the entry. Not cancellable on purpose: a refusal or a rollback caused by a barge-in or a hang-up is
    /// still recorded.
    /// </summary>
    public ValueTask WriteAsync(
        ToolInvocation invocation,
        string outcome,
        string reason,
        string? customerId = null,
        string? orderId = null,
        long? amountCents = null,
        string detail = "")
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return log.AppendAsync(
            new ToolAuditEntry(invocation.Call.CallSid, invocation.CallId, invocation.Name, outcome, reason, customerId, orderId, amountCents, detail, timeProvider.GetUtcNow()),
            CancellationToken.None);
    }
}

/// <summary>Machine-readable <see cref="ToolAuditEntry.Outcome"/> values of the support tools.</summary>
internal static class AuditOutcome
{
    public const string Granted = "granted";
    public const string Refused = "refused";
    public const string Verified = "verified";
    public const string Failed = "failed";
    public const string Locked = "locked";
    public const string Scheduled = "scheduled";
    public const string Cancelled = "cancelled";
}

/// <summary>Machine-readable <see cref="ToolAuditEntry.Reason"/> values of the support tools.</summary>
internal static class AuditReason
{
    public const string None = "";
    public const string NotVerified = "not-verified";
    public const string Locked = "locked";
    public const string TooManyAttempts = "too-many-attempts";
    public const string NoMatch = "no-match";
    public const string MissingFactor = "missing-factor";
    public const string NoCallerNumber = "no-caller-number";
    public const string AlreadyVerified = "already-verified";
    public const string MissingOrderId = "missing-order-id";
    public const string OrderNotFound = "order-not-found";
    public const string OrderNotOwned = "order-not-owned";
    public const string InvalidAmount = "invalid-amount";
    public const string OverAutoApproveLimit = "over-auto-approve-limit";
    public const string ExceedsRefundable = "exceeds-refundable";
    public const string AlreadyRefundedThisCall = "already-refunded-this-call";
    public const string CurrencyMismatch = "currency-mismatch";
    public const string MissingReason = "missing-reason";
    public const string ToolCallCancelled = "tool-call-cancelled";
    public const string InvalidPhone = "invalid-phone";
    public const string InvalidTime = "invalid-time";
    public const string InPast = "in-past";
    public const string TooFarAhead = "too-far-ahead";
    public const string OffsetMismatch = "offset-mismatch";
    public const string TimeZoneUnknown = "time-zone-unknown";
    public const string OutsideBusinessHours = "outside-business-hours";
    public const string MissingTopic = "missing-topic";
}
