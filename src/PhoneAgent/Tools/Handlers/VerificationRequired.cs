using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>The refusal the account tools give an unverified (or locked-out) call, audited as <c>refused</c>.</summary>
internal static class VerificationRequired
{
    /// <summary>The verified account, or the refusal already audited.</summary>
    public static async ValueTask<(Customer? Customer, ToolResult? Refusal)> CheckAsync(
        CallVerificationGate gate, ToolAudit audit, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(invocation);
        var (state, customer) = await gate.CheckAsync(invocation.Call.CallSid, cancellationToken);
        if (customer is not null)
        {
            return (customer, null);
        }

        var reason = state.IsLocked ? AuditReason.Locked : AuditReason.NotVerified;
        await audit.WriteAsync(invocation, AuditOutcome.Refused, reason, orderId: ToolArguments.OrderId(invocation.Arguments));
        return (null, ToolResult.Failure(state.IsLocked
            ? "Verification is locked on this call, so account details cannot be given. Offer to connect the caller with a colleague."
            : "The caller is not verified yet. Verify them with verify_caller first; caller ID alone is not enough."));
    }
}
