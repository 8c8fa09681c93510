using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Tools;

/// <summary><c>process_refund</c>: the policy in code, every attempt audited, money moved once.</summary>
public sealed class ProcessRefundToolTests : IDisposable
{
    private readonly SupportToolBed _bed = new();

    [Fact]
    public async Task An_unverified_caller_gets_nothing()
    {
        var result = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"A1001","amount":10,"reason":"late"}""");

        Assert.Contains("not verified", result.Error, StringComparison.Ordinal);
        Assert.Empty(_bed.Stores.Refunds);
        Assert.Equal(("refused", "not-verified", "A1001"), Single());
    }

    [Theory]
    [InlineData("25.5")]
    [InlineData("\"25.50\"")]
    [InlineData("\"$25.50\"")]
    public async Task A_refund_within_policy_is_granted_once_with_its_effect(string amount)
    {
        await _bed.VerifyAdaAsync();

        var result = await _bed.InvokeAsync(_bed.Refund, $$"""{"order_id":"A1001","amount":{{amount}},"reason":"arrived dented"}""");

        Assert.Equal("25.50 USD", result.Text("refunded"));
        Assert.Equal("54.50 USD", result.Text("still_refundable"));
        Assert.Equal("refunded 25.50 USD on order A1001 (refund R-1)", result.Effect);
        var refund = Assert.Single(_bed.Stores.Refunds);
        Assert.Equal((SupportToolBed.CallSid, "A1001", 2550L, "arrived dented"), (refund.CallSid, refund.OrderId, refund.AmountCents, refund.Reason));
        Assert.Equal(2550, _bed.Stores.Order("A1001").RefundedCents);
        var entry = _bed.Audit("process_refund").Single();
        Assert.Equal(("granted", "", "C-1", "A1001", 2550L), (entry.Outcome, entry.Reason, entry.CustomerId, entry.OrderId, entry.AmountCents));
    }

    [Theory]
    [InlineData("0", "invalid-amount")]
    [InlineData("-5", "invalid-amount")]
    [InlineData("10.005", "invalid-amount")]
    [InlineData("\"ten\"", "invalid-amount")]
    [InlineData("50.01", "over-auto-approve-limit")]
    public async Task Amounts_outside_policy_are_refused_and_audited(string amount, string reason)
    {
        await _bed.VerifyAdaAsync();

        var result = await _bed.InvokeAsync(_bed.Refund, $$"""{"order_id":"A1002","amount":{{amount}},"reason":"changed mind"}""");

        Assert.True(result.IsError);
        Assert.Null(result.Effect);
        Assert.Empty(_bed.Stores.Refunds);
        Assert.Equal(0, _bed.Stores.Order("A1002").RefundedCents);
        Assert.Equal(("refused", reason, "A1002"), Single());
    }

    [Fact]
    public async Task Over_the_auto_approve_limit_a_human_must_approve_and_the_transfer_is_offered()
    {
        using var bed = new SupportToolBed(p => p.With("tools.enabled", new System.Text.Json.Nodes.JsonArray(
            "verify_caller", "process_refund", "connect_to_human", "end_call")).With("transfer.target", "support"));
        await bed.VerifyAdaAsync();

        var result = await bed.InvokeAsync(bed.Refund, """{"order_id":"A1002","amount":75,"reason":"broken"}""");

        Assert.Contains("must be approved by a colleague", result.Error, StringComparison.Ordinal);
        Assert.Contains("connect_to_human", result.Error, StringComparison.Ordinal);
        Assert.Equal(7500, bed.Audit("process_refund").Single().AmountCents);
    }

    [Fact]
    public async Task More_than_the_order_can_still_refund_is_refused_with_what_is_left()
    {
        _bed.Stores.Add(_bed.Stores.Order("A1001") with { RefundedCents = 7000 });
        await _bed.VerifyAdaAsync();

        var result = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"A1001","amount":20,"reason":"late"}""");

        Assert.Contains("at most 10.00 USD is left", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "exceeds-refundable", "A1001"), Single());
    }

    [Fact]
    public async Task Another_customers_order_answers_exactly_like_a_missing_one()
    {
        await _bed.VerifyAdaAsync();

        var theirs = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"B2001","amount":5,"reason":"x"}""");
        var missing = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"Z9999","amount":5,"reason":"x"}""");

        Assert.Equal(missing.Error, theirs.Error);
        Assert.Equal(["order-not-owned", "order-not-found"], _bed.Audit("process_refund").Select(e => e.Reason));
        Assert.Equal(0, _bed.Stores.Order("B2001").RefundedCents);
    }

    [Fact]
    public async Task An_order_in_another_currency_needs_a_human()
    {
        await _bed.VerifyAdaAsync();

        var result = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"E3001","amount":5,"reason":"x"}""");

        Assert.Contains("in EUR", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "currency-mismatch", "E3001"), Single());
    }

    [Fact]
    public async Task A_second_refund_of_the_same_order_in_one_call_needs_a_human()
    {
        await _bed.VerifyAdaAsync();

        var first = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"A1002","amount":20,"reason":"scratched"}""");
        var second = await _bed.InvokeAsync(_bed.Refund, """{"order_id":"A1002","amount":10,"reason":"also chipped"}""");

        Assert.False(first.IsError);
        Assert.Contains("already refunded 20.00 USD on this call", second.Error, StringComparison.Ordinal);
        Assert.Single(_bed.Stores.Refunds);
        Assert.Equal(2000, _bed.Stores.Order("A1002").RefundedCents);
        Assert.Equal(["granted", "refused"], _bed.Audit("process_refund").Select(e => e.Outcome));
        Assert.Equal("already-refunded-this-call", _bed.Audit("process_refund")[1].Reason);
    }

    [Fact]
    public async Task A_tool_call_cancelled_before_the_commit_refunds_nothing_and_is_audited()
    {
        await _bed.VerifyAdaAsync();
        using var cancel = new CancellationTokenSource();
        _bed.Stores.BeforeRefundCommit = cancel.Cancel; // the caller barged in while the ledger was working

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _bed.InvokeAsync(_bed.Refund, """{"order_id":"A1001","amount":10,"reason":"late"}""", cancel.Token));

        Assert.Empty(_bed.Stores.Refunds);
        Assert.Equal(0, _bed.Stores.Order("A1001").RefundedCents);
        Assert.Equal(("cancelled", "tool-call-cancelled", "A1001"), Single());
    }

    public void Dispose() => _bed.Dispose();

    private (string Outcome, string Reason, string? OrderId) Single()
    {
        var entry = Assert.Single(_bed.Audit("process_refund"));
        return (entry.Outcome, entry.Reason, entry.OrderId);
    }
}
