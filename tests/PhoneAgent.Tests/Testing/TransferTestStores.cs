using System.Collections.Concurrent;
using PhoneAgent.Support;

namespace PhoneAgent.Tests.Testing;

/// <summary>An in-memory tool audit log: every entry, in order (the database one is tested with the storage).</summary>
internal sealed class ListAuditLog : IToolAuditLog
{
    public ConcurrentQueue<ToolAuditEntry> Entries { get; } = new();

    public ValueTask AppendAsync(ToolAuditEntry entry, CancellationToken cancellationToken)
    {
        Entries.Enqueue(entry);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ToolAuditEntry>> ListByCallAsync(string callSid, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ToolAuditEntry>>([.. Entries.Where(e => e.CallSid == callSid)]);
}

/// <summary>In-memory hand-off summaries and callbacks.</summary>
internal sealed class ListHandoffStore : IHandoffStore
{
    public ConcurrentQueue<HandoffSummary> Handoffs { get; } = new();

    public ConcurrentQueue<CallbackRequest> Callbacks { get; } = new();

    public ValueTask SaveHandoffAsync(HandoffSummary handoff, CancellationToken cancellationToken)
    {
        Handoffs.Enqueue(handoff);
        return ValueTask.CompletedTask;
    }

    public ValueTask<HandoffSummary?> FindLatestHandoffAsync(string callSid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Handoffs.LastOrDefault(h => h.CallSid == callSid));

    public ValueTask<CallbackRequest> SaveCallbackAsync(CallbackRequest callback, CancellationToken cancellationToken)
    {
        var stored = callback with { Id = "cb" + (Callbacks.Count + 1) };
        Callbacks.Enqueue(stored);
        return ValueTask.FromResult(stored);
    }

    public ValueTask<IReadOnlyList<CallbackRequest>> ListCallbacksAsync(string callSid, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<CallbackRequest>>([.. Callbacks.Where(c => c.CallSid == callSid)]);
}

/// <summary>Verification state per call, set by the test.</summary>
internal sealed class MapVerificationStore : ICallVerificationStore
{
    public ConcurrentDictionary<string, CallVerification> Calls { get; } = new();

    public ValueTask<CallVerification> GetAsync(string callSid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Calls.GetValueOrDefault(callSid) ?? new CallVerification(callSid, null, 0, null, null));

    public ValueTask<CallVerification> RecordSuccessAsync(string callSid, string customerId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Calls.AddOrUpdate(callSid, _ => new CallVerification(callSid, customerId, 0, at, null), (_, v) => v.IsLocked ? v : v with { CustomerId = customerId, VerifiedAt = at }));

    public ValueTask<CallVerification> RecordFailureAsync(string callSid, int maxAttempts, DateTimeOffset at, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Calls.AddOrUpdate(
            callSid,
            _ => new CallVerification(callSid, null, 1, null, maxAttempts <= 1 ? at : null),
            (_, v) => v with { FailedAttempts = v.FailedAttempts + 1, LockedAt = v.LockedAt ?? (v.FailedAttempts + 1 >= maxAttempts ? at : null) }));
}
