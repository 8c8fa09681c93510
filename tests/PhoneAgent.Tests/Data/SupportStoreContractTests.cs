using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Calls;
using PhoneAgent.Data;
using PhoneAgent.Support;
using PhoneAgent.Tests.Data.Testing;

namespace PhoneAgent.Tests.Data;

/// <summary>
/// The support stores (customers, refunds, audit, verification, hand-offs, retention, demo seed) against a real
/// database: SQLite and PostgreSQL run the same tests. Rows are checked through the stores and, where money is
/// concerned, directly in the tables.
/// </summary>
public abstract class SupportStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private PhoneAgentDatabase _database = null!;
    private SqlRefundLedger _refunds = null!;
    private SqlCustomerDirectory _customers = null!;

    private protected abstract Task<PhoneAgentDatabase> CreateDatabaseAsync(TimeProvider time);

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync(_time);
        _refunds = new SqlRefundLedger(_database);
        _customers = new SqlCustomerDirectory(_database);
        await new DemoData(_database, _time).SeedAsync(default);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static RefundRequest Refund(string callSid, long cents, string order = "A1001", string customer = "C-1001", string reason = "arrived damaged") =>
        new(callSid, "tc-" + callSid, customer, order, cents, reason, Now);

    private async Task<long> RefundedCentsAsync(string order) => (await _customers.FindOrderAsync(order, default))!.RefundedCents;

    [SkippableFact]
    public async Task A_refund_is_granted_once_and_raises_the_refunded_amount_in_the_same_commit()
    {
        var outcome = await _refunds.TryRefundAsync(Refund("CA1", 2500), () => true, default);

        Assert.Equal(RefundStatus.Granted, outcome.Status);
        Assert.Equal((2500L, 12999L - 2500L, "USD"), (outcome.AmountCents, outcome.RemainingCents, outcome.Currency));
        var row = Assert.Single(await _refunds.ListByOrderAsync("A1001", default));
        Assert.Equal(new RefundRecord(outcome.RefundId!, "CA1", "tc-CA1", "A1001", 2500, "USD", "arrived damaged", Now), row);
        Assert.Equal(2500, await RefundedCentsAsync("A1001"));
    }

    [SkippableFact]
    public async Task The_same_call_refunds_an_order_once_however_often_it_asks()
    {
        var first = await _refunds.TryRefundAsync(Refund("CA1", 1000), () => true, default);
        var retried = await _refunds.TryRefundAsync(Refund("CA1", 1000) with { ToolCallId = "" }, () => true, default);
        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await _refunds.TryRefundAsync(Refund("CA1", 1500), () => true, default))));

        Assert.Equal(RefundStatus.Granted, first.Status);
        Assert.Equal((RefundStatus.AlreadyRefundedThisCall, first.RefundId, 1000L), (retried.Status, retried.RefundId, retried.AmountCents));
        Assert.All(racing, r => Assert.Equal(RefundStatus.AlreadyRefundedThisCall, r.Status));
        Assert.Single(await _refunds.ListByCallAsync("CA1", default));
        Assert.Equal(1000, await RefundedCentsAsync("A1001"));
    }

    [SkippableTheory]
    [InlineData(10_000, 1_000)] // the total runs out after 10 of the 20
    [InlineData(10_000, 300)] // all 20 fit
    [InlineData(10_000, 700)] // 14 fit, 9,800; the last 200 stay
    public async Task Twenty_concurrent_refunds_from_twenty_calls_never_pass_the_total(long total, long amount)
    {
        await using (var connection = await _database.OpenAsync(default))
        {
            await _database.ExecuteAsync(connection, null,
                "INSERT INTO orders (id, customer_id, placed_at, status, summary, currency, total_cents, refunded_cents) VALUES ('Z9', 'C-1002', @at, 'delivered', 'Race', 'USD', @total, 0)",
                default, ("at", Now), ("total", total));
        }

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await _refunds.TryRefundAsync(Refund("CA-race-" + i, amount, "Z9", "C-1002"), () => true, default);
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var granted = outcomes.Where(o => o.Status == RefundStatus.Granted).Sum(o => o.AmountCents);
        Assert.Equal(Math.Min(total, 20 * amount) / amount * amount, granted);
        Assert.All(outcomes, o => Assert.Contains(o.Status, new[] { RefundStatus.Granted, RefundStatus.ExceedsRefundable }));
        Assert.Equal(granted, await RefundedCentsAsync("Z9"));
        Assert.Equal(granted, (await _refunds.ListByOrderAsync("Z9", default)).Sum(r => r.AmountCents));
    }

    [SkippableFact]
    public async Task A_refund_cancelled_at_the_last_moment_writes_nothing()
    {
        var asked = 0;
        var outcome = await _refunds.TryRefundAsync(Refund("CA1", 1000), () => { asked++; return false; }, default);

        Assert.Equal((RefundStatus.Cancelled, 1), (outcome.Status, asked));
        Assert.Empty(await _refunds.ListByOrderAsync("A1001", default));
        Assert.Equal(0, await RefundedCentsAsync("A1001"));
        Assert.Equal(RefundStatus.Granted, (await _refunds.TryRefundAsync(Refund("CA1", 1000), () => true, default)).Status); // the key was not taken
    }

    [SkippableFact]
    public async Task Refunds_past_the_remaining_amount_or_of_someone_elses_order_are_refused_without_a_trace()
    {
        var tooMuch = await _refunds.TryRefundAsync(Refund("CA1", 8950 - 2000 + 1, "A1002"), () => true, default);
        var notMine = await _refunds.TryRefundAsync(Refund("CA2", 100, "A2001"), () => true, default);
        var missing = await _refunds.TryRefundAsync(Refund("CA3", 100, "A9999"), () => true, default);
        var fullyRefunded = await _refunds.TryRefundAsync(Refund("CA4", 1, "A2002", "C-1002"), () => true, default);

        Assert.Equal((RefundStatus.ExceedsRefundable, 6950L), (tooMuch.Status, tooMuch.RemainingCents));
        Assert.Equal(RefundStatus.OrderNotFound, notMine.Status);
        Assert.Equal(RefundStatus.OrderNotFound, missing.Status);
        Assert.Equal((RefundStatus.ExceedsRefundable, 0L), (fullyRefunded.Status, fullyRefunded.RemainingCents));
        Assert.Empty(await _refunds.ListByCallAsync("CA1", default));
        Assert.Empty(await _refunds.ListByCallAsync("CA2", default));
        Assert.Equal(2000, await RefundedCentsAsync("A1002"));
        Assert.Equal(0, await RefundedCentsAsync("A2001"));
        Assert.Equal(RefundStatus.Granted, (await _refunds.TryRefundAsync(Refund("CA1", 6950, "A1002"), () => true, default)).Status); // exactly the rest
    }

    [SkippableFact]
    public async Task Free_text_is_stored_redacted()
    {
        var audit = new SqlToolAuditLog(_database);
        var handoffs = new SqlHandoffStore(_database);

        await _refunds.TryRefundAsync(Refund("CA1", 100, reason: "charged twice on card 4242 4242 4242 4242"), () => true, default);
        await audit.AppendAsync(new ToolAuditEntry("CA1", "tc1", "process_refund", "granted", "", "C-1001", "A1001", 100, "card 4242-4242-4242-4242, cvc 987, order A1001 $1.00", Now), default);
        await handoffs.SaveHandoffAsync(new HandoffSummary("CA1", "wants to pay by card 4000056655665556", "Caller read out CVV 1234 for A1001", "C-1001", "support", Now), default);
        var callback = await handoffs.SaveCallbackAsync(new CallbackRequest("", "CA1", "C-1001", "+14155550101", Now.AddHours(2), "America/Los_Angeles", "update card 5555 5555 5555 4444", Now), default);

        Assert.Equal("charged twice on card [card]", Assert.Single(await _refunds.ListByCallAsync("CA1", default)).Reason);
        Assert.Equal("card [card], cvc [cvv], order A1001 $1.00", Assert.Single(await audit.ListByCallAsync("CA1", default)).Detail);
        var handoff = (await handoffs.FindLatestHandoffAsync("CA1", default))!;
        Assert.Equal(("wants to pay by card [card]", "Caller read out CVV [cvv] for A1001"), (handoff.Reason, handoff.Summary));
        Assert.Equal("update card [card]", callback.Topic);
        Assert.Equal("update card [card]", Assert.Single(await handoffs.ListCallbacksAsync("CA1", default)).Topic);
    }

    [SkippableFact]
    public async Task Audit_entries_come_back_in_order_with_every_field()
    {
        var audit = new SqlToolAuditLog(_database);
        var first = new ToolAuditEntry("CA1", "tc1", "verify_caller", "failed", "wrong-pin", null, null, null, "attempt 1", Now);
        var second = new ToolAuditEntry("CA1", "tc2", "process_refund", "refused", "over-auto-approve-limit", "C-1001", "A1001", 9000, "", Now.AddSeconds(5));

        await audit.AppendAsync(first, default);
        await audit.AppendAsync(second, default);
        await audit.AppendAsync(first with { CallSid = "CA2" }, default);

        Assert.Equal([first, second], await audit.ListByCallAsync("CA1", default));
    }

    [SkippableFact]
    public async Task Verification_counts_failures_atomically_and_a_lock_is_final()
    {
        var store = new SqlCallVerificationStore(_database);
        Assert.Equal(new CallVerification("CA1", null, 0, null, null), await store.GetAsync("CA1", default));

        var failures = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () => await store.RecordFailureAsync("CA1", 3, Now, default))));
        var afterLock = await store.RecordSuccessAsync("CA1", "C-1001", Now.AddSeconds(1), default);

        // Each failure counted once up to the limit; the one that reached it locked, the later ones found the lock.
        Assert.Equal([1, 2, 3, 3, 3, 3, 3, 3, 3, 3], failures.Select(f => f.FailedAttempts).Order());
        Assert.Equal(8, failures.Count(f => f.IsLocked));
        Assert.Equal(new CallVerification("CA1", null, 3, null, Now), afterLock);
        Assert.False(afterLock.IsVerified);

        var other = await store.RecordFailureAsync("CA2", 3, Now, default);
        var verified = await store.RecordSuccessAsync("CA2", "C-1002", Now.AddSeconds(2), default);
        Assert.Equal(new CallVerification("CA2", null, 1, null, null), other);
        Assert.Equal(new CallVerification("CA2", "C-1002", 1, Now.AddSeconds(2), null), verified);
        Assert.True((await store.GetAsync("CA2", default)).IsVerified);
    }

    [SkippableFact]
    public async Task Hand_offs_and_callbacks_round_trip()
    {
        var store = new SqlHandoffStore(_database);
        await store.SaveHandoffAsync(new HandoffSummary("CA1", "billing", "first", null, "support", Now), default);
        await store.SaveHandoffAsync(new HandoffSummary("CA1", "billing", "second", "C-1001", "+15005550006", Now.AddMinutes(1)), default);
        var due = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.FromHours(-8));

        var saved = await store.SaveCallbackAsync(new CallbackRequest("ignored", "CA1", "C-1001", "+14155550101", due, "America/Los_Angeles", "refund status", Now), default);

        Assert.Equal(new HandoffSummary("CA1", "billing", "second", "C-1001", "+15005550006", Now.AddMinutes(1)), await store.FindLatestHandoffAsync("CA1", default));
        Assert.Null(await store.FindLatestHandoffAsync("CA2", default));
        Assert.StartsWith("CB", saved.Id, StringComparison.Ordinal);
        var listed = Assert.Single(await store.ListCallbacksAsync("CA1", default));
        Assert.Equal(saved, listed);
        Assert.Equal(TimeSpan.FromHours(-8), listed.DueAt.Offset);
    }

    [SkippableFact]
    public async Task Customers_are_found_by_id_phone_and_postcode_and_orders_come_newest_first()
    {
        Assert.Equal("Ada Lovelace", (await _customers.FindByIdAsync("C-1001", default))!.Name);
        Assert.Null(await _customers.FindByIdAsync("C-404", default));
        Assert.Equal(["C-1002"], (await _customers.FindByPhoneAsync("+12125550102", default)).Select(c => c.Id));
        Assert.Equal(["C-1003"], (await _customers.FindByPostalCodeAsync("sw1a 1aa", default)).Select(c => c.Id));
        Assert.Equal(["C-1003"], (await _customers.FindByPostalCodeAsync("SW1A1AA", default)).Select(c => c.Id));
        Assert.Equal(["A1003", "A1001"], (await _customers.ListOrdersAsync("C-1001", 2, default)).Select(o => o.Id));
        var order = (await _customers.FindOrderAsync("A1002", default))!;
        Assert.Equal(new Order("A1002", "C-1001", Now.AddDays(-12), "delivered", "Coffee grinder", "USD", 8950, 2000), order);
        Assert.Equal(6950, order.RefundableCents);
    }

    [SkippableFact]
    public async Task The_demo_seed_is_idempotent_and_keeps_what_calls_changed()
    {
        await _refunds.TryRefundAsync(Refund("CA1", 500), () => true, default);

        Assert.Equal(0, await new DemoData(_database, _time).SeedAsync(default));
        Assert.Equal(500, await RefundedCentsAsync("A1001"));
        var ada = (await _customers.FindByIdAsync("C-1001", default))!;
        Assert.True(CustomerPin.Verify("4321", ada.PinHash));
        Assert.False(CustomerPin.Verify("1234", ada.PinHash));
    }

    [SkippableFact]
    public async Task Retention_deletes_by_call_by_phone_and_by_age()
    {
        var calls = new SqlCallStore(_database);
        var retention = new SqlDataRetention(_database);
        var audit = new SqlToolAuditLog(_database);
        var handoffs = new SqlHandoffStore(_database);
        var verification = new SqlCallVerificationStore(_database);

        async Task RecordCallAsync(string sid, string from, DateTimeOffset at)
        {
            await calls.GetOrCreateAsync(new NewCall(sid, "AC1", from, "+15005550000", "customer-support", at), default);
            await calls.IssueStreamAsync(sid, 1, at, at.AddMinutes(2), default);
            await calls.AddStatusAsync(sid, new CallStatusEvent("call", "in-progress", at), default);
            await calls.AppendTranscriptAsync(sid, [new(TimeSpan.Zero, "caller", "hello")], default);
            await audit.AppendAsync(new ToolAuditEntry(sid, "t", "lookup_order", "granted", "", null, null, null, "", at), default);
            await handoffs.SaveHandoffAsync(new HandoffSummary(sid, "r", "s", null, "support", at), default);
            await handoffs.SaveCallbackAsync(new CallbackRequest("", sid, null, from, at.AddDays(1), "UTC", "t", at), default);
            await verification.RecordFailureAsync(sid, 3, at, default);
        }

        await RecordCallAsync("CA-old", "+14155550101", Now.AddDays(-100));
        await RecordCallAsync("CA-asked", "+14155550199", Now.AddDays(-1));
        await RecordCallAsync("CA-phone-1", "+12125550102", Now.AddDays(-2));
        await RecordCallAsync("CA-phone-2", "+12125550102", Now.AddDays(-1));
        await RecordCallAsync("CA-keep", "+13125550104", Now);
        await calls.AddStatusAsync("CA-keep", new CallStatusEvent("call", "completed", Now), default);
        await _refunds.TryRefundAsync(Refund("CA-asked", 700), () => true, default);

        var byCall = await retention.DeleteCallAsync("CA-asked", default);
        var byPhone = await retention.DeleteByPhoneAsync("+12125550102", default);
        _time.Advance(TimeSpan.FromDays(10));
        var byAge = await retention.DeleteOlderThanAsync(_time.GetUtcNow() - TimeSpan.FromDays(90), default);

        // Each call: calls, stream, status, transcript, audit, hand-off, callback, verification = 8 rows.
        Assert.Equal((8, 16, 8), (byCall, byPhone, byAge));
        foreach (var gone in new[] { "CA-asked", "CA-phone-1", "CA-phone-2", "CA-old" })
        {
            Assert.Null(await calls.FindAsync(gone, default));
            Assert.Empty(await audit.ListByCallAsync(gone, default));
            Assert.Null(await handoffs.FindLatestHandoffAsync(gone, default));
            Assert.Empty(await handoffs.ListCallbacksAsync(gone, default));
            Assert.Equal(0, (await verification.GetAsync(gone, default)).FailedAttempts);
        }

        var kept = (await calls.FindAsync("CA-keep", default))!;
        Assert.Equal((1, 1, 2), (kept.Streams.Count, kept.Transcript.Count, kept.StatusHistory.Count));
        Assert.Single(await audit.ListByCallAsync("CA-keep", default));

        // The money trail stays, without its free text.
        var refund = Assert.Single(await _refunds.ListByCallAsync("CA-asked", default));
        Assert.Equal((700L, ""), (refund.AmountCents, refund.Reason));
        Assert.Equal(700, await RefundedCentsAsync("A1001"));
    }
}

public sealed class SqliteSupportStoreTests : SupportStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    private protected override Task<PhoneAgentDatabase> CreateDatabaseAsync(TimeProvider time) => TestDatabases.SqliteAsync(_folder.Path, time);

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresSupportStoreTests(PostgresDatabaseFixture fixture) : SupportStoreContractTests, IClassFixture<PostgresDatabaseFixture>
{
    private protected override Task<PhoneAgentDatabase> CreateDatabaseAsync(TimeProvider time) => TestDatabases.PostgresAsync(fixture, time);
}
