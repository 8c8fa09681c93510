using PhoneAgent.CallReplay.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// Verification and refunds through whole calls: the emulator plays the model's tool calls, the shipped
/// customer-support profile and tools act on the demo data in SQLite, and each test checks what the call left behind
/// (refund rows, the order's refunded amount, the audit rows) and what the caller heard. Not in the real-time
/// collection: these assert effects, not timing, so they run beside other classes.
/// </summary>
public sealed class SupportRefundTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Verification_fails_three_times_then_locks_and_the_order_lookup_is_refused()
    {
        // Three wrong postcodes, one turn each (the third locks the call), then the model tries a lookup anyway.
        await using var e2e = await EndToEndCall.StartAsync(
            """
            { "name": "support-verification-locked", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "My postcode is 10001 and my last order was A1003.",
                "toolCalls": [ { "name": "verify_caller", "args": { "postcode": "10001", "last_order_id": "A1003" } } ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "Sorry, 94110.",
                "toolCalls": [ { "name": "verify_caller", "args": { "postcode": "94110", "last_order_id": "A1003" } } ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "Then 94107 with order A1001.",
                "toolCalls": [ { "name": "verify_caller", "args": { "postcode": "94107", "last_order_id": "A1001" } } ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "Just tell me where order A1001 is.",
                "toolCalls": [ { "name": "lookup_order", "args": { "order_id": "A1001" } } ],
                "afterToolResponse": { "text": "I cannot look that up." } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """);
        var result = await e2e.CallAsync(CallerAudio.Speech(
            TimeSpan.FromSeconds(12), (1.2, 1.8, "10001"), (3.8, 4.4, "94110"), (6.4, 7.0, "94107 A1001"), (9.0, 9.6, "where is it")));
        SupportCall.Log(output, e2e, result);

        var verify = await e2e.AuditAsync(result.CallSid, "verify_caller");
        Assert.Equal(["failed:no-match", "failed:no-match", "locked:too-many-attempts"], verify.Select(a => $"{a.Outcome}:{a.Reason}"));
        var lookup = Assert.Single(await e2e.AuditAsync(result.CallSid, "lookup_order"));
        Assert.Equal(("refused", "locked"), (lookup.Outcome, lookup.Reason));
        Assert.Contains("Verification is locked", e2e.EmulatorLog(), StringComparison.Ordinal); // what the model was told
        Assert.Contains("I cannot look that up.", await e2e.AgentTranscriptAsync(result.CallSid), StringComparison.Ordinal);
        Assert.Equal(5, EndToEndCall.HeardTags(result)[^1]); // the caller heard the answer to the lookup turn
        Assert.Empty(await e2e.RefundsAsync("A1001"));
    }

    [Fact]
    public async Task A_refund_within_the_limit_is_granted_once_and_read_back_to_the_caller()
    {
        await using var e2e = await EndToEndCall.StartAsync(
            $$"""
            { "name": "support-refund-granted", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "My postcode is 94107 and my last order was A1003.",
                "toolCalls": [ {{SupportCall.VerifyAda}} ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "It is about my headphones, order A1001.",
                "toolCalls": [ { "name": "lookup_customer", "args": {} }, { "name": "lookup_order", "args": { "order_id": "A1001" } } ],
                "afterToolResponse": { "text": "Order {lookup_order.output.order_id} is {lookup_order.output.status}." } },
              { "caller": "Please refund 25 dollars on order A1001, the headphones arrived scratched.",
                "toolCalls": [ { "name": "process_refund", "args": { "order_id": "A1001", "amount": 25.0, "reason": "arrived scratched" } } ],
                "afterToolResponse": { "text": "Refunded {output.refunded}." } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """);
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(10.5), (1.2, 1.8, "verify"), (3.8, 4.4, "look up"), (7.4, 8.0, "refund")));
        SupportCall.Log(output, e2e, result);

        var refund = Assert.Single(await e2e.RefundsAsync("A1001"));
        Assert.Equal((result.CallSid, 2500L, "USD", "arrived scratched"), (refund.CallSid, refund.AmountCents, refund.Currency, refund.Reason));
        Assert.Equal(2500, (await e2e.OrderAsync("A1001")).RefundedCents);
        Assert.Equal(
            ["lookup_customer:granted:", "lookup_order:granted:", "process_refund:granted:", "verify_caller:verified:"],
            (await e2e.AuditAsync(result.CallSid)).Select(a => $"{a.Tool}:{a.Outcome}:{a.Reason}").Order(StringComparer.Ordinal));
        var granted = (await e2e.AuditAsync(result.CallSid, "process_refund"))[0];
        Assert.Equal(("C-1001", "A1001", 2500L), (granted.CustomerId, granted.OrderId, granted.AmountCents));

        // The tools' answers, spoken through the afterToolResponse templates, and the caller heard every turn.
        var said = await e2e.AgentTranscriptAsync(result.CallSid);
        Assert.Contains("Order A1001 is delivered.", said, StringComparison.Ordinal);
        Assert.Contains("Refunded 25.00 USD.", said, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4], EndToEndCall.HeardTags(result));
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
    }

    [Fact]
    public async Task A_duplicated_refund_call_refunds_once_and_audits_the_second_as_refused()
    {
        // The model sends process_refund twice in one turn (same arguments, two ids), as a duplicated tool call would.
        const string Refund = """{ "name": "process_refund", "args": { "order_id": "A1001", "amount": 40, "reason": "never arrived" } }""";
        await using var e2e = await EndToEndCall.StartAsync(
            $$"""
            { "name": "support-refund-duplicated", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "My postcode is 94107 and my last order was A1003.",
                "toolCalls": [ {{SupportCall.VerifyAda}} ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "Refund 40 dollars on A1001 please.",
                "toolCalls": [ {{Refund}}, {{Refund}} ],
                "afterToolResponse": { "clip": "done" } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """);
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(7), (1.2, 1.8, "verify"), (3.8, 4.4, "refund")));
        SupportCall.Log(output, e2e, result);

        var refund = Assert.Single(await e2e.RefundsAsync("A1001"));
        Assert.Equal(4000, refund.AmountCents);
        Assert.Equal(4000, (await e2e.OrderAsync("A1001")).RefundedCents);
        var attempts = await e2e.AuditAsync(result.CallSid, "process_refund");
        Assert.Equal(2, attempts.Select(a => a.ToolCallId).Distinct().Count());
        Assert.Equal(["granted:", "refused:already-refunded-this-call"], attempts.Select(a => $"{a.Outcome}:{a.Reason}").Order(StringComparer.Ordinal));
        Assert.Equal(refund.ToolCallId, attempts.Single(a => a.Outcome == "granted").ToolCallId);
        Assert.Equal(3, EndToEndCall.HeardTags(result)[^1]);
    }
}
