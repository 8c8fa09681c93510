using PhoneAgent.Calls;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.Support;
using PhoneAgent.Tools;

namespace PhoneAgent.Tests.Testing;

/// <summary>
/// In-memory test doubles of the <c>Support/</c> stores, with the semantics their contracts promise (atomic
/// verification counts, unique CallSid + order refunds, a conditional refundable update, commit only when still
/// wanted). The database-backed stores have their own tests; these let the tool logic be tested on its own.
/// </summary>
internal sealed class InMemorySupportStores : ICustomerDirectory, ICallVerificationStore, IRefundLedger, IToolAuditLog, IHandoffStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Customer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Order> _orders = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CallVerification> _verifications = new(StringComparer.Ordinal);
    private readonly List<RefundRecord> _refunds = [];
    private readonly ConcurrentQueue<ToolAuditEntry> _audit = new();
    private readonly List<CallbackRequest> _callbacks = [];
    private readonly List<HandoffSummary> _handoffs = [];

    public IReadOnlyList<ToolAuditEntry> Audit => [.. _audit];

    public IReadOnlyList<RefundRecord> Refunds
    {
        get
        {
            lock (_gate)
            {
                return [.. _refunds];
            }
        }
    }

    public IReadOnlyList<CallbackRequest> Callbacks
    {
        get
        {
            lock (_gate)
            {
                return [.. _callbacks];
            }
        }
    }

    /// <summary>Runs inside <see cref="TryRefundAsync"/> before the final check (tests cancel there).</summary>
    public Action? BeforeRefundCommit { get; set; }

    public InMemorySupportStores Add(Customer customer)
    {
        lock (_gate)
        {
            _customers[customer.Id] = customer;
        }

        return this;
    }

    public InMemorySupportStores Add(Order order)
    {
        lock (_gate)
        {
            _orders[order.Id] = order;
        }

        return this;
    }

    public Order Order(string id)
    {
        lock (_gate)
        {
            return _orders[id];
        }
    }

    public ValueTask<Customer?> FindByIdAsync(string customerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_customers.GetValueOrDefault(customerId));
        }
    }

    public ValueTask<IReadOnlyList<Customer>> FindByPhoneAsync(string phoneE164, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Customer>>([.. _customers.Values.Where(c => c.PhoneE164 == phoneE164)]);
        }
    }

    public ValueTask<IReadOnlyList<Customer>> FindByPostalCodeAsync(string postalCode, CancellationToken cancellationToken)
    {
        static string Normal(string s) => s.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Customer>>([.. _customers.Values.Where(c => c.PostalCode is not null && Normal(c.PostalCode) == Normal(postalCode))]);
        }
    }

    public ValueTask<Order?> FindOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_orders.GetValueOrDefault(orderId));
        }
    }

    public ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string customerId, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Order>>([.. _orders.Values.Where(o => o.CustomerId == customerId).OrderByDescending(o => o.PlacedAt).Take(limit)]);
        }
    }

    public ValueTask<CallVerification> GetAsync(string callSid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_verifications.GetValueOrDefault(callSid) ?? new CallVerification(callSid, null, 0, null, null));
        }
    }

    public ValueTask<CallVerification> RecordSuccessAsync(string callSid, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = _verifications.GetValueOrDefault(callSid) ?? new CallVerification(callSid, null, 0, null, null);
            if (!state.IsLocked)
            {
                state = state with { CustomerId = customerId, VerifiedAt = at };
                _verifications[callSid] = state;
            }

            return ValueTask.FromResult(state);
        }
    }

    public ValueTask<CallVerification> RecordFailureAsync(string callSid, int maxAttempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = _verifications.GetValueOrDefault(callSid) ?? new CallVerification(callSid, null, 0, null, null);
            var failures = state.FailedAttempts + 1;
            state = state with { FailedAttempts = failures, LockedAt = state.LockedAt ?? (failures >= maxAttempts ? at : null) };
            _verifications[callSid] = state;
            return ValueTask.FromResult(state);
        }
    }

    public ValueTask<RefundOutcome> TryRefundAsync(RefundRequest request, Func<bool> stillWanted, CancellationToken cancellationToken)
    {
        BeforeRefundCommit?.Invoke();
        lock (_gate)
        {
            if (!_orders.TryGetValue(request.OrderId, out var order) || order.CustomerId != request.CustomerId)
            {
                return ValueTask.FromResult(new RefundOutcome(RefundStatus.OrderNotFound, null, 0, 0, null));
            }

            if (_refunds.FirstOrDefault(r => r.CallSid == request.CallSid && r.OrderId == order.Id) is { } earlier)
            {
                return ValueTask.FromResult(new RefundOutcome(RefundStatus.AlreadyRefundedThisCall, earlier.Id, earlier.AmountCents, order.RefundableCents, order.Currency));
            }

            if (order.RefundableCents < request.AmountCents)
            {
                return ValueTask.FromResult(new RefundOutcome(RefundStatus.ExceedsRefundable, null, 0, order.RefundableCents, order.Currency));
            }

            if (!stillWanted())
            {
                return ValueTask.FromResult(new RefundOutcome(RefundStatus.Cancelled, null, 0, order.RefundableCents, order.Currency));
            }

            var record = new RefundRecord($"R-{_refunds.Count + 1}", request.CallSid, request.ToolCallId, order.Id, request.AmountCents, order.Currency, request.Reason, request.RequestedAt);
            _refunds.Add(record);
            order = order with { RefundedCents = order.RefundedCents + request.AmountCents };
            _orders[order.Id] = order;
            return ValueTask.FromResult(new RefundOutcome(RefundStatus.Granted, record.Id, record.AmountCents, order.RefundableCents, order.Currency));
        }
    }

    public ValueTask<IReadOnlyList<RefundRecord>> ListByOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<RefundRecord>>([.. _refunds.Where(r => r.OrderId == orderId)]);
        }
    }

    public ValueTask<IReadOnlyList<RefundRecord>> ListByCallAsync(string callSid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<RefundRecord>>([.. _refunds.Where(r => r.CallSid == callSid)]);
        }
    }

    public ValueTask AppendAsync(ToolAuditEntry entry, CancellationToken cancellationToken)
    {
        _audit.Enqueue(entry);
        return ValueTask.CompletedTask;
    }

    ValueTask<IReadOnlyList<ToolAuditEntry>> IToolAuditLog.ListByCallAsync(string callSid, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ToolAuditEntry>>([.. _audit.Where(e => e.CallSid == callSid)]);

    public ValueTask SaveHandoffAsync(HandoffSummary handoff, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _handoffs.Add(handoff);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<HandoffSummary?> FindLatestHandoffAsync(string callSid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_handoffs.LastOrDefault(h => h.CallSid == callSid));
        }
    }

    public ValueTask<CallbackRequest> SaveCallbackAsync(CallbackRequest callback, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var saved = callback with { Id = $"CB-{_callbacks.Count + 1}" };
            _callbacks.Add(saved);
            return ValueTask.FromResult(saved);
        }
    }

    public ValueTask<IReadOnlyList<CallbackRequest>> ListCallbacksAsync(string callSid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<CallbackRequest>>([.. _callbacks.Where(c => c.CallSid == callSid)]);
        }
    }
}

/// <summary>Records what a tool asked of the call.</summary>
internal sealed class RecordingCallControl : ICallControl
{
    public List<string> Hangups { get; } = [];

    public List<NextAction.Transfer> Transfers { get; } = [];

    public void ArmHangup(string reason) => Hangups.Add(reason);

    public void ArmTransfer(NextAction.Transfer transfer) => Transfers.Add(transfer);
}

internal static class SupportTestServices
{
    /// <summary>
    /// The support tools need the Support/ stores; where the app registers none, these in-memory doubles stand in
    /// (<c>TryAdd</c> after the app's own registrations, so real stores win).
    /// </summary>
    public static IServiceCollection AddInMemorySupportStores(this IServiceCollection services)
    {
        services.TryAddSingleton<InMemorySupportStores>();
        services.TryAddSingleton<ICustomerDirectory>(static sp => sp.GetRequiredService<InMemorySupportStores>());
        services.TryAddSingleton<ICallVerificationStore>(static sp => sp.GetRequiredService<InMemorySupportStores>());
        services.TryAddSingleton<IRefundLedger>(static sp => sp.GetRequiredService<InMemorySupportStores>());
        services.TryAddSingleton<IToolAuditLog>(static sp => sp.GetRequiredService<InMemorySupportStores>());
        services.TryAddSingleton<IHandoffStore>(static sp => sp.GetRequiredService<InMemorySupportStores>());
        return services;
    }
}
