using System.Globalization;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// 20 whole calls at once, each verifying as Ada and asking for 10.00 USD back on the same order (A1001, 129.99 USD,
/// nothing refunded yet; the shipped auto-approve limit is 50.00): the database's conditional update must grant 12
/// and refuse 8, whichever calls win, on SQLite and on PostgreSQL. Twenty real-time calls load both cores, so they run
/// with the other real-time calls, alone (the support scenarios beside them hear every turn on a tight schedule).
/// </summary>
[Collection(RealTimeCalls.Name)]
public sealed class SupportConcurrencyTests(PostgresDatabaseFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    private const int Calls = 20;
    private const long AskCents = 1000;

    private const string Scenario = $$"""
        { "name": "support-refund-race", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "My postcode is 94107 and my last order was A1003.",
            "toolCalls": [ {{SupportCall.VerifyAda}} ],
            "afterToolResponse": { "clip": "okay" } },
          { "caller": "Please refund 10 dollars on A1001.",
            "toolCalls": [ { "name": "process_refund", "args": { "order_id": "A1001", "amount": "10.00", "reason": "late delivery" } } ],
            "afterToolResponse": { "text": "Refunded {output.refunded}." } } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    [Fact]
    public Task Twenty_concurrent_refunds_on_one_order_never_pass_its_total_on_sqlite() =>
        RaceAsync(new Dictionary<string, string?>());

    [SkippableFact]
    public Task Twenty_concurrent_refunds_on_one_order_never_pass_its_total_on_postgres()
    {
        PostgresTestServer.RequireOrSkip();
        return RaceAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:PhoneAgent"] = postgres.ConnectionString,
        });
    }

    private async Task RaceAsync(Dictionary<string, string?> settings)
    {
        await using var e2e = await EndToEndCall.StartAsync(Scenario, settings);
        var recording = CallerAudio.Speech(TimeSpan.FromSeconds(5), (1.0, 1.6, "verify"), (3.4, 4.0, "refund"));

        // Each caller from its own number (the per-caller rate limit stays out of it); the caller waits for the answer.
        var results = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i => e2e.CallAsync(recording, o => o with
        {
            From = "+1415555" + (2000 + i).ToString(CultureInfo.InvariantCulture),
            HangupAfter = TimeSpan.FromSeconds(3),
        })));

        var refunds = await e2e.RefundsAsync("A1001");
        var order = await e2e.OrderAsync("A1001");
        var attempts = new List<Support.ToolAuditEntry>();
        foreach (var result in results)
        {
            attempts.AddRange(await e2e.AuditAsync(result.CallSid, "process_refund"));
        }

        output.WriteLine($"granted {refunds.Count}, refunded {order.RefundedCents} of {order.TotalCents}; audit: {string.Join(", ", attempts.GroupBy(a => $"{a.Outcome}:{a.Reason}").Select(g => $"{g.Key}×{g.Count()}"))}");
        Assert.All(results, r => Assert.Equal(CallEndReason.CallerHungUp, r.EndReason));
        Assert.Equal(Calls, attempts.Count); // every call got as far as asking

        // Never past the total, and the ledger and the order agree to the cent.
        Assert.Equal(SupportCall.HeadphonesCents / AskCents, refunds.Count);
        Assert.All(refunds, r => Assert.Equal(AskCents, r.AmountCents));
        Assert.Equal(refunds.Sum(r => r.AmountCents), order.RefundedCents);
        Assert.True(order.RefundedCents <= order.TotalCents);
        Assert.Equal(refunds.Count, refunds.Select(r => r.CallSid).Distinct().Count());

        // Every attempt audited: the granted ones match the rows, the rest refused for the amount left.
        Assert.Equal(refunds.Count, attempts.Count(a => a.Outcome == "granted"));
        Assert.Equal(Calls - refunds.Count, attempts.Count(a => a is { Outcome: "refused", Reason: "exceeds-refundable" }));
        Assert.Equal(
            refunds.Select(r => r.CallSid).Order(StringComparer.Ordinal),
            attempts.Where(a => a.Outcome == "granted").Select(a => a.CallSid).Order(StringComparer.Ordinal));

        // A granted caller heard the amount read back.
        var winner = results.First(r => r.CallSid == refunds[0].CallSid);
        Assert.Contains("Refunded 10.00 USD.", await e2e.AgentTranscriptAsync(winner.CallSid), StringComparison.Ordinal);
    }
}
