using PhoneAgent.CallReplay.Calls;
using PhoneAgent.Support;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// What the support scenarios share: the demo account they act for, and readers for what a call left in the database
/// (tool audit rows, refunds, the order) and in the call record.
/// </summary>
internal static class SupportCall
{
    /// <summary>Ada Lovelace (C-1001) verifies with her billing postcode and her most recent order (demo data).</summary>
    public const string VerifyAda = """{ "name": "verify_caller", "args": { "postcode": "94107", "last_order_id": "A1003" } }""";

    /// <summary>A1001, Ada's headphones: 129.99 USD, nothing refunded yet (demo data).</summary>
    public const long HeadphonesCents = 12999;

    public static async Task<IReadOnlyList<ToolAuditEntry>> AuditAsync(this EndToEndCall e2e, string callSid, string? tool = null) =>
        [.. (await e2e.Get<IToolAuditLog>().ListByCallAsync(callSid, default)).Where(a => tool is null || a.Tool == tool)];

    public static async Task<IReadOnlyList<RefundRecord>> RefundsAsync(this EndToEndCall e2e, string orderId) =>
        await e2e.Get<IRefundLedger>().ListByOrderAsync(orderId, default);

    public static async Task<Order> OrderAsync(this EndToEndCall e2e, string orderId) =>
        (await e2e.Get<ICustomerDirectory>().FindOrderAsync(orderId, default))!;

    /// <summary>The agent's lines in the call record's transcript (from the model's output transcription, cut to what was heard).</summary>
    public static async Task<string> AgentTranscriptAsync(this EndToEndCall e2e, string callSid)
    {
        var record = await e2e.RecordAsync(callSid);
        return string.Join(" | ", record!.Transcript.Where(t => t.Speaker == "agent").Select(t => t.Text));
    }

    public static void Log(ITestOutputHelper output, EndToEndCall e2e, CallResult result)
    {
        output.WriteLine($"end: {result.EndReason}; verbs: {string.Join(", ", result.Verbs)}; transfers: {string.Join(", ", result.Transfers)}");
        output.WriteLine($"turns: {string.Join(", ", result.AgentTurns.Select(t => $"{t.Number}@{t.Start.TotalSeconds:0.00}-{t.End.TotalSeconds:0.00}{(t.Interrupted ? " cut" : "")}"))}; heard tags: {string.Join(",", EndToEndCall.HeardTags(result))}");
        output.WriteLine(e2e.EmulatorLog());
    }
}
