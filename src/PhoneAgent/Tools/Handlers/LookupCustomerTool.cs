using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>lookup_customer</c>: the verified caller's own account (name, masked contact details, order count, recent
/// orders). The account comes from the call's verification, never from an argument; the PIN hash never leaves.
/// </summary>
internal sealed class LookupCustomerTool(ICustomerDirectory customers, CallVerificationGate gate, ToolAudit audit) : IToolHandler
{
    public const string Name = ToolNames.LookupCustomer;

    /// <summary>How many orders are counted (and how many recent ones are listed).</summary>
    private const int OrderScan = 500;
    private const int RecentOrders = 3;

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Looks up the verified caller's own account: name, masked contact details, number of orders and the most recent orders. Only works after verify_caller succeeded. Takes no arguments.",
        """{ "type": "object", "properties": {} }""");

    public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var (customer, refusal) = await VerificationRequired.CheckAsync(gate, audit, invocation, cancellationToken);
        if (customer is null)
        {
            return refusal!;
        }

        var orders = await customers.ListOrdersAsync(customer.Id, OrderScan, cancellationToken);
        await audit.WriteAsync(invocation, AuditOutcome.Granted, AuditReason.None, customer.Id);
        var recent = new JsonArray();
        foreach (var order in orders.Take(RecentOrders))
        {
            recent.Add(new JsonObject
            {
                ["order_id"] = order.Id,
                ["placed_on"] = order.PlacedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["status"] = order.Status,
            });
        }

        return ToolOutput.Success(new JsonObject
        {
            ["customer_id"] = customer.Id,
            ["name"] = customer.Name,
            ["phone"] = SupportText.MaskPhone(customer.PhoneE164),
            ["email"] = SupportText.MaskEmail(customer.Email),
            ["order_count"] = orders.Count,
            ["recent_orders"] = recent,
        });
    }
}
