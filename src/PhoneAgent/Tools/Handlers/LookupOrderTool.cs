using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>lookup_order</c>: one order of the verified caller. An order of another account answers exactly as an order
/// that does not exist, so order numbers cannot be probed.
/// </summary>
internal sealed class LookupOrderTool(ICustomerDirectory customers, CallVerificationGate gate, ToolAudit audit) : IToolHandler
{
    public const string Name = ToolNames.LookupOrder;

    public const string NotFound = "There is no order with that number on the caller's account. Ask them to check the number.";

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Looks up one of the verified caller's orders by its number: status, what was ordered, total, and what can still be refunded. Only works after verify_caller succeeded.",
        """
        {
          "type": "object",
          "properties": {
            "order_id": { "type": "string", "description": "The order number, e.g. A1001." }
          },
          "required": ["order_id"]
        }
        """);

    public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var (customer, refusal) = await VerificationRequired.CheckAsync(gate, audit, invocation, cancellationToken);
        if (customer is null)
        {
            return refusal!;
        }

        if (ToolArguments.OrderId(invocation.Arguments) is not { } orderId)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Refused, AuditReason.MissingOrderId, customer.Id);
            return ToolResult.Failure("Ask the caller for the order number, then call lookup_order with it.");
        }

        var order = await customers.FindOrderAsync(orderId, cancellationToken);
        if (order is null || order.CustomerId != customer.Id)
        {
            await audit.WriteAsync(invocation, AuditOutcome.Refused, order is null ? AuditReason.OrderNotFound : AuditReason.OrderNotOwned, customer.Id, orderId);
            return ToolResult.Failure(NotFound);
        }

        await audit.WriteAsync(invocation, AuditOutcome.Granted, AuditReason.None, customer.Id, order.Id);
        return ToolOutput.Success(Describe(order));
    }

    public static JsonObject Describe(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new JsonObject
        {
            ["order_id"] = order.Id,
            ["placed_on"] = order.PlacedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["status"] = order.Status,
            ["summary"] = order.Summary,
            ["total"] = SupportText.Money(order.TotalCents, order.Currency),
            ["refunded"] = SupportText.Money(order.RefundedCents, order.Currency),
            ["refundable"] = SupportText.Money(order.RefundableCents, order.Currency),
        };
    }
}
