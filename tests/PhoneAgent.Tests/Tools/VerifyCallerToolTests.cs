using System.Text.Json.Nodes;
using PhoneAgent.Tests.Testing;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tests.Tools;

/// <summary><c>verify_caller</c>: factors checked in code, attempts limited per call, lockout audited.</summary>
public sealed class VerifyCallerToolTests : IDisposable
{
    private readonly SupportToolBed _bed = new();

    [Fact]
    public async Task The_pin_of_the_account_on_the_callers_number_verifies_and_unlocks_the_account_tools()
    {
        Assert.True((await _bed.InvokeAsync(_bed.LookupCustomer, "{}")).IsError);

        var result = await _bed.InvokeAsync(_bed.Verify, """{"pin":"43 21"}""");

        Assert.True(result.Output().GetProperty("verified").GetBoolean());
        Assert.Equal("Ada Lovelace", (await _bed.InvokeAsync(_bed.LookupCustomer, "{}")).Text("name"));
        var entry = Assert.Single(_bed.Audit("verify_caller"));
        Assert.Equal(("verified", "", "C-1"), (entry.Outcome, entry.Reason, entry.CustomerId));
        Assert.Equal(SupportToolBed.CallSid, entry.CallSid);
        Assert.Equal("method pin", entry.Detail);
    }

    [Fact]
    public async Task Three_wrong_pins_lock_the_call_and_even_the_right_pin_is_refused_afterwards()
    {
        var first = await _bed.InvokeAsync(_bed.Verify, """{"pin":"1111"}""");
        var second = await _bed.InvokeAsync(_bed.Verify, """{"pin":"2222"}""");
        var third = await _bed.InvokeAsync(_bed.Verify, """{"pin":"3333"}""");
        var right = await _bed.InvokeAsync(_bed.Verify, """{"pin":"4321"}""");

        Assert.Contains("2 more attempts", first.Error, StringComparison.Ordinal);
        Assert.Contains("1 more attempt;", second.Error, StringComparison.Ordinal);
        Assert.Contains("locked", third.Error, StringComparison.Ordinal);
        Assert.Contains("locked", right.Error, StringComparison.Ordinal);
        Assert.True((await _bed.InvokeAsync(_bed.LookupOrder, """{"order_id":"A1001"}""")).IsError);
        Assert.Equal(
            [("failed", "no-match"), ("failed", "no-match"), ("locked", "too-many-attempts"), ("refused", "locked")],
            _bed.Audit("verify_caller").Select(e => (e.Outcome, e.Reason)));
        Assert.Equal("method pin, attempt 3 of 3", _bed.Audit("verify_caller")[2].Detail);
        Assert.Equal(("refused", "locked"), (_bed.Audit("lookup_order")[0].Outcome, _bed.Audit("lookup_order")[0].Reason));
    }

    [Fact]
    public async Task Another_accounts_pin_does_not_verify_from_this_number()
    {
        var result = await _bed.InvokeAsync(_bed.Verify, """{"pin":"9999"}""");

        Assert.True(result.IsError);
        Assert.Equal("failed", Assert.Single(_bed.Audit("verify_caller")).Outcome);
    }

    [Fact]
    public async Task A_withheld_number_cannot_use_a_pin_and_costs_no_attempt()
    {
        _bed.Caller = _bed.Caller with { CallerNumber = null };

        var result = await _bed.InvokeAsync(_bed.Verify, """{"pin":"4321"}""");

        Assert.Contains("no caller number", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "no-caller-number"), (_bed.Audit("verify_caller")[0].Outcome, _bed.Audit("verify_caller")[0].Reason));
        Assert.Equal(0, (await _bed.Stores.GetAsync(SupportToolBed.CallSid, default)).FailedAttempts);
    }

    [Fact]
    public async Task The_model_cannot_name_the_caller_the_number_comes_from_the_call()
    {
        _bed.Caller = _bed.Caller with { CallerNumber = "+15559999999" };

        var result = await _bed.InvokeAsync(_bed.Verify, $$"""{"pin":"4321","phone":"{{SupportToolBed.AdaPhone}}","customer_id":"C-1"}""");

        Assert.True(result.IsError);
        Assert.Equal("failed", _bed.Audit("verify_caller")[0].Outcome);
    }

    [Fact]
    public async Task Postcode_and_last_order_verify_and_a_wrong_factor_is_never_named()
    {
        using var bed = PostcodeBed();

        var olderOrder = await bed.InvokeAsync(bed.Verify, """{"postcode":"sw1a 1aa","last_order_id":"A1001"}""");
        var wrongPostcode = await bed.InvokeAsync(bed.Verify, """{"postcode":"90210","last_order_id":"A1002"}""");
        var right = await bed.InvokeAsync(bed.Verify, """{"postcode":"SW1A1AA","last_order_id":"a-1002"}""");

        Assert.StartsWith("Those details do not match our records.", olderOrder.Error, StringComparison.Ordinal);
        Assert.Equal(olderOrder.Error!.Replace("2 more attempts", "1 more attempt", StringComparison.Ordinal), wrongPostcode.Error);
        foreach (var word in new[] { "postcode", "order", "PIN" })
        {
            Assert.DoesNotContain(word, olderOrder.Error, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(right.Output().GetProperty("verified").GetBoolean());
        Assert.Equal(["failed", "failed", "verified"], bed.Audit("verify_caller").Select(e => e.Outcome));
        Assert.Equal("C-1", bed.Audit("verify_caller")[2].CustomerId);
    }

    [Fact]
    public async Task A_missing_factor_is_asked_for_and_costs_no_attempt()
    {
        using var bed = PostcodeBed();

        var result = await bed.InvokeAsync(bed.Verify, """{"postcode":"SW1A 1AA"}""");

        Assert.Contains("most recent order", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "missing-factor"), (bed.Audit("verify_caller")[0].Outcome, bed.Audit("verify_caller")[0].Reason));
        Assert.Equal(0, (await bed.Stores.GetAsync(SupportToolBed.CallSid, default)).FailedAttempts);
    }

    [Fact]
    public async Task A_attestation_on_the_accounts_number_lets_the_postcode_alone_verify_where_the_profile_allows()
    {
        using var bed = PostcodeBed(shortcut: true);
        bed.Caller = bed.Caller with { CallerAttestation = VerifyCallerTool.FullAttestation };

        var result = await bed.InvokeAsync(bed.Verify, """{"postcode":"SW1A 1AA"}""");

        Assert.True(result.Output().GetProperty("verified").GetBoolean());
        Assert.Equal("method postcode+attested-caller-id", bed.Audit("verify_caller")[0].Detail);
    }

    [Fact]
    public async Task Attestation_never_verifies_on_its_own_nor_with_a_wrong_postcode()
    {
        using var bed = PostcodeBed(shortcut: true);
        bed.Caller = bed.Caller with { CallerAttestation = VerifyCallerTool.FullAttestation };

        var nothing = await bed.InvokeAsync(bed.Verify, "{}");
        var wrong = await bed.InvokeAsync(bed.Verify, """{"postcode":"90210"}""");

        Assert.Contains("postcode", nothing.Error, StringComparison.Ordinal);
        Assert.True(wrong.IsError);
        Assert.Equal([("refused", "missing-factor"), ("failed", "no-match")], bed.Audit("verify_caller").Select(e => (e.Outcome, e.Reason)));
    }

    [Theory]
    [InlineData("TN-Validation-Passed-B", true)] // weaker attestation
    [InlineData(null, true)] // none
    [InlineData(VerifyCallerTool.FullAttestation, false)] // the profile does not allow the shortcut
    public async Task Without_full_attestation_and_the_profiles_consent_the_last_order_is_still_required(string? attestation, bool shortcut)
    {
        using var bed = PostcodeBed(shortcut);
        bed.Caller = bed.Caller with { CallerAttestation = attestation };

        var result = await bed.InvokeAsync(bed.Verify, """{"postcode":"SW1A 1AA"}""");

        Assert.Contains("most recent order", result.Error, StringComparison.Ordinal);
        Assert.Equal("missing-factor", bed.Audit("verify_caller")[0].Reason);
    }

    [Fact]
    public async Task An_attested_call_from_a_number_that_is_not_the_accounts_does_not_take_the_shortcut()
    {
        using var bed = PostcodeBed(shortcut: true);
        bed.Caller = bed.Caller with { CallerNumber = "+15557770000", CallerAttestation = VerifyCallerTool.FullAttestation };

        var result = await bed.InvokeAsync(bed.Verify, """{"postcode":"SW1A 1AA"}""");

        Assert.True(result.IsError);
        Assert.Equal("failed", bed.Audit("verify_caller")[0].Outcome);
    }

    public void Dispose() => _bed.Dispose();

    private static SupportToolBed PostcodeBed(bool shortcut = false) => new(p => p.With(
        "verification", new JsonObject { ["method"] = "postcodeAndLastOrder", ["attestedCallerNeedsOneFactorFewer"] = shortcut }));
}
