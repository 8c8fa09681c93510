namespace PhoneAgent.Tests.Tools;

/// <summary><c>lookup_customer</c> and <c>lookup_order</c>: only the verified caller's own data, masked contacts.</summary>
public sealed class LookupToolsTests : IDisposable
{
    private readonly SupportToolBed _bed = new();

    [Fact]
    public async Task Lookups_refuse_until_verified_and_say_so()
    {
        var customer = await _bed.InvokeAsync(_bed.LookupCustomer, "{}");
        var order = await _bed.InvokeAsync(_bed.LookupOrder, """{"order_id":"A1001"}""");

        Assert.Contains("verify_caller", customer.Error, StringComparison.Ordinal);
        Assert.Contains("verify_caller", order.Error, StringComparison.Ordinal);
        Assert.Equal([("lookup_customer", "not-verified"), ("lookup_order", "not-verified")], _bed.Stores.Audit.Select(e => (e.Tool, e.Reason)));
    }

    [Fact]
    public async Task The_account_comes_with_masked_contacts_and_no_pin_hash()
    {
        await _bed.VerifyAdaAsync();

        var result = await _bed.InvokeAsync(_bed.LookupCustomer, "{}");

        var output = result.Output();
        Assert.Equal("***1111", output.GetProperty("phone").GetString());
        Assert.Equal("a***@example.com", output.GetProperty("email").GetString());
        Assert.Equal(3, output.GetProperty("order_count").GetInt32());
        Assert.Equal("A1002", output.GetProperty("recent_orders")[0].GetProperty("order_id").GetString());
        Assert.DoesNotContain("pbkdf2", output.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("5550001111", output.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("granted", _bed.Audit("lookup_customer").Single().Outcome);
    }

    [Fact]
    public async Task An_order_shows_what_can_still_be_refunded()
    {
        await _bed.VerifyAdaAsync();

        var result = await _bed.InvokeAsync(_bed.LookupOrder, """{"order_id":"a 1002"}""");

        Assert.Equal("A1002", result.Text("order_id"));
        Assert.Equal("shipped", result.Text("status"));
        Assert.Equal("120.00 USD", result.Text("refundable"));
    }

    [Fact]
    public async Task Someone_elses_order_looks_like_no_order_at_all()
    {
        await _bed.VerifyAdaAsync();

        var theirs = await _bed.InvokeAsync(_bed.LookupOrder, """{"order_id":"B2001"}""");
        var none = await _bed.InvokeAsync(_bed.LookupOrder, """{"order_id":"Q1"}""");

        Assert.True(theirs.IsError);
        Assert.Equal(none.Error, theirs.Error);
        Assert.Equal(["order-not-owned", "order-not-found"], _bed.Audit("lookup_order").Select(e => e.Reason));
    }

    public void Dispose() => _bed.Dispose();
}
