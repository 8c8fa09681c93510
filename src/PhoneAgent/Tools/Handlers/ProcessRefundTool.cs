using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>process_refund</c>: refunds part or all of one of the verified caller's orders, within the profile's policy.
/// </summary>
/// <remarks>
/// Refused (and audited) when: the call is not verified; the amount is not positive or has more than 2 decimals; the
/// order is not the caller's; the order's currency is not the profile's; this call already refunded the order (a
/// second refund needs a human); the amount is more than the order's refundable remainder; or it is over
/// <c>refunds.autoApproveLimit</c> (a human must approve: the transfer is offered). The money moves only in
/// <see cref="IRefundLedger.TryRefundAsync"/>, whose conditional update and unique (CallSid, order) key hold even when
/// calls race, and which commits only if this tool call was not cancelled meanwhile.
/// </remarks>
internal sealed class ProcessRefundTool(
    IAgentProfileCatalog profiles,
    ICustomerDirectory customers,
    IRefundLedger ledger,
    CallVerificationGate gate,
    ToolAudit audit,
    TimeProvider timeProvider) : IToolHandler
{
    public const string Name = ToolNames.ProcessRefund;

    /// <summary>Larger amounts are not read as money at all (and would overflow cents).</summary>
    private const decimal MaxAmount = 10_000_000m;

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Refunds an amount on one of the verified caller's orders. Confirm the order and the amount with the caller first. The tool enforces the refund policy; if it says a colleague must approve, offer to connect the caller.",
        """
        {
          "type": "object",
          "properties": {
            "order_id": { "type": "string", "description": "The order number, e.g. A1001." },
            "amount": { "type": "number", "description": "The amount to refund in the order's currency units, e.g. 25.5." },
            "reason": { "type": "string", "description": "Why, in a few words (e.g. 'item arrived damaged')." }
          },
          "required": ["order_id", "amount", "reason"]
        }
        """) with { Timeout = TimeSpan.FromSeconds(15) };

    public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var call = invocation.Call;
        var profile = profiles.Get(call.Profile) ?? profiles.Default;
        var (customer, refusal) = await VerificationRequired.CheckAsync(gate, audit, invocation, cancellationToken);
        if (customer is null)
        {
            return refusal!;
        }

        var orderId = ToolArguments.OrderId(invocation.Arguments);
        var reason = ToolArguments.String(invocation.Arguments, "reason", 300);
        var amount = ToolArguments.Amount(invocation.Arguments, "amount");
        if (orderId is null)
        {
            return await RefuseAsync(AuditReason.MissingOrderId, null, null, "Ask the caller for the order number first.");
        }

        if (reason is null)
        {
            return await RefuseAsync(AuditReason.MissingReason, orderId, null, "Ask the caller why they want the refund, then call process_refund with the reason.");
        }

        if (amount is not { } value || value <= 0 || value > MaxAmount || decimal.Round(value, 2) != value)
        {
            return await RefuseAsync(AuditReason.InvalidAmount, orderId, null, "The amount must be a positive amount of money with at most two decimals, such as 25.50. Confirm the amount with the caller.");
        }

        var cents = (long)(value * 100);
        var order = await customers.FindOrderAsync(orderId, cancellationToken);
        if (order is null || order.CustomerId != customer.Id)
        {
            return await RefuseAsync(order is null ? AuditReason.OrderNotFound : AuditReason.OrderNotOwned, orderId, cents, LookupOrderTool.NotFound);
        }

        var offer = profile.Tools.Enabled.Contains(ToolNames.ConnectToHuman)
            ? "Offer to connect the caller with a colleague (connect_to_human)."
            : "Offer to take a callback request so a colleague can follow up.";
        if (!string.Equals(order.Currency, profile.Refunds.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return await RefuseAsync(AuditReason.CurrencyMismatch, order.Id, cents, $"This order is in {order.Currency}; a colleague must handle its refund. {offer}");
        }

        var earlier = (await ledger.ListByCallAsync(call.CallSid, cancellationToken)).FirstOrDefault(r => r.OrderId == order.Id);
        if (earlier is not null)
        {
            return await RefuseAsync(AuditReason.AlreadyRefundedThisCall, order.Id, cents, $"This order was already refunded {SupportText.Money(earlier.AmountCents, earlier.Currency)} on this call. Another refund needs a colleague. {offer}");
        }

        if (cents > order.RefundableCents)
        {
            return await RefuseAsync(AuditReason.ExceedsRefundable, order.Id, cents, $"That is more than can be refunded on this order: at most {SupportText.Money(order.RefundableCents, order.Currency)} is left.");
        }

        var limitCents = (long)((profile.Refunds.AutoApproveLimit ?? 0m) * 100);
        if (cents > limitCents)
        {
            return await RefuseAsync(AuditReason.OverAutoApproveLimit, order.Id, cents, $"Refunds above {SupportText.Money(limitCents, profile.Refunds.Currency)} must be approved by a colleague; nothing was refunded. {offer}");
        }

        var request = new RefundRequest(call.CallSid, invocation.CallId, customer.Id, order.Id, cents, reason, timeProvider.GetUtcNow());
        var outcome = await ledger.TryRefundAsync(request, () => !cancellationToken.IsCancellationRequested, cancellationToken);
        switch (outcome.Status)
        {
            case RefundStatus.Granted:
                var currency = outcome.Currency ?? order.Currency;
                var refunded = SupportText.Money(outcome.AmountCents, currency);
                await audit.WriteAsync(invocation, AuditOutcome.Granted, AuditReason.None, customer.Id, order.Id, outcome.AmountCents, $"refund {outcome.RefundId}");
                return ToolOutput.Success(new JsonObject
                {
                    ["refunded"] = refunded,
                    ["order_id"] = order.Id,
                    ["refund_id"] = outcome.RefundId,
                    ["still_refundable"] = SupportText.Money(outcome.RemainingCents, currency),
                    ["message"] = $"Refunded {refunded} on order {order.Id}. Tell the caller it usually reaches their account within 5 to 10 business days.",
                }) with { Effect = $"refunded {refunded} on order {order.Id} (refund {outcome.RefundId})" };
            case RefundStatus.Cancelled:
                await audit.WriteAsync(invocation, AuditOutcome.Cancelled, AuditReason.ToolCallCancelled, customer.Id, order.Id, cents, "rolled back before commit");
                cancellationToken.ThrowIfCancellationRequested();
                return ToolResult.Failure("The refund did not go through. Nothing was refunded; you may try once more.");
            case RefundStatus.AlreadyRefundedThisCall:
                return await RefuseAsync(AuditReason.AlreadyRefundedThisCall, order.Id, cents, $"This order was already refunded on this call. Another refund needs a colleague. {offer}");
            case RefundStatus.ExceedsRefundable:
                return await RefuseAsync(AuditReason.ExceedsRefundable, order.Id, cents, $"That is more than can be refunded on this order: at most {SupportText.Money(outcome.RemainingCents, outcome.Currency ?? order.Currency)} is left.");
            default:
                return await RefuseAsync(AuditReason.OrderNotFound, order.Id, cents, LookupOrderTool.NotFound);
        }

        async ValueTask<ToolResult> RefuseAsync(string why, string? refusedOrderId, long? amountCents, string message)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Refused, why, customer.Id, refusedOrderId, amountCents);
            return ToolResult.Failure(message);
        }
    }
}
