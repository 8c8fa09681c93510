using System.Text.Json.Nodes;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using PhoneAgent.Support;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// connect_to_human through whole calls: the hand-off stored, the stream ended with a transfer, what
/// /twilio/connect-action and /twilio/dial-action answered (the TwiML CallReplay carried out), the call's end reason,
/// and, when nobody takes the call, the agent back on a new stream with the note and the caller hearing it.
/// </summary>
public sealed class SupportTransferTests(ITestOutputHelper output)
{
    /// <summary>The caller asks for a person; the model hands over and says so with the "transfer" clip.</summary>
    private const string AskForAPerson = """
        { "name": "support-transfer", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "Can I talk to a person about my delivery?",
            "toolCalls": [ { "name": "connect_to_human", "args": { "reason": "caller asked for a person", "summary": "Unverified caller asking about a late delivery." } } ],
            "afterToolResponse": { "clip": "transfer" } } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    [Fact]
    public async Task A_refund_over_the_limit_is_refused_then_the_caller_is_enqueued_with_the_hand_off()
    {
        await using var e2e = await EndToEndCall.StartAsync(
            $$"""
            { "name": "support-refund-over-limit", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "My postcode is 94107 and my last order was A1003.",
                "toolCalls": [ {{SupportCall.VerifyAda}} ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "I want the full 75 dollars back on A1001.",
                "toolCalls": [ { "name": "process_refund", "args": { "order_id": "A1001", "amount": 75, "reason": "does not work" } } ],
                "afterToolResponse": { "text": "A colleague must approve that." } },
              { "caller": "Yes, put me through.",
                "toolCalls": [ { "name": "connect_to_human", "args": { "reason": "refund above the approval limit", "summary": "Ada Lovelace, verified, wants 75 USD back on A1001 (headphones do not work)." } } ],
                "afterToolResponse": { "clip": "transfer" } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """);
        // Nobody in the queue answers before the caller gives up: Twilio reports QueueResult=hangup.
        var result = await e2e.CallAsync(
            CallerAudio.Speech(TimeSpan.FromSeconds(9), (1.2, 1.8, "verify"), (3.8, 4.4, "refund 75"), (7.6, 8.2, "yes")),
            o => o with { DialOutcome = DialOutcome.CallerHangsUp });
        SupportCall.Log(output, e2e, result);

        var refused = Assert.Single(await e2e.AuditAsync(result.CallSid, "process_refund"));
        Assert.Equal(("refused", "over-auto-approve-limit", 7500L), (refused.Outcome, refused.Reason, refused.AmountCents));
        Assert.Empty(await e2e.RefundsAsync("A1001"));
        Assert.Equal(0, (await e2e.OrderAsync("A1001")).RefundedCents);
        Assert.Contains("A colleague must approve that.", await e2e.AgentTranscriptAsync(result.CallSid), StringComparison.Ordinal);

        // The hand-off the human reads, with the verified account and the profile's target (not the model's words).
        var handoff = await e2e.Get<IHandoffStore>().FindLatestHandoffAsync(result.CallSid, default);
        Assert.Equal(("refund above the approval limit", "C-1001", "support"), (handoff!.Reason, handoff.CustomerId, handoff.Target));
        Assert.Contains("75 USD back on A1001", handoff.Summary, StringComparison.Ordinal);

        // The stream ended after the "putting you through" turn had played; connect-action enqueued the caller.
        var record = await e2e.RecordAsync(result.CallSid);
        var transfer = Assert.IsType<NextAction.Transfer>(record!.Streams[0].NextAction);
        Assert.Equal("support", transfer.Target);
        Assert.Equal(4, EndToEndCall.HeardTags(result)[^1]);
        Assert.False(result.AgentTurns[^1].CutByStreamEnd);
        Assert.Contains("Enqueue(support, action=https://agent.example.com/twilio/dial-action)", result.Verbs);
        Assert.Equal(("Enqueue", "support", "hangup"), (result.Transfers[0].Verb, result.Transfers[0].Target, result.Transfers[0].Outcome));
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal("transfer:caller-left", record.EndReason);
        Assert.Contains(await e2e.AuditAsync(result.CallSid, "connect_to_human"), a => a.Outcome == "transferred");
    }

    [Fact]
    public async Task A_dialled_human_who_answers_takes_the_call_and_dial_action_hangs_up_after_their_conversation()
    {
        await using var e2e = await EndToEndCall.StartAsync(
            AskForAPerson,
            profileJson: EndToEndCall.Profile(p => p["transfer"] = new JsonObject
            {
                ["action"] = "dial",
                ["target"] = "+15005550199",
                ["timeout"] = "00:00:20",
                ["whenUnanswered"] = "agent",
            }));
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(4), (1.2, 1.8, "a person please")), o => o with { DialOutcome = DialOutcome.Completed });
        SupportCall.Log(output, e2e, result);

        Assert.Contains("Dial(+15005550199, action=https://agent.example.com/twilio/dial-action)", result.Verbs);
        Assert.Equal(("Dial", "completed"), (result.Transfers[0].Verb, result.Transfers[0].Outcome));
        Assert.Equal("Hangup", result.Verbs[^1]); // dial-action's answer once the human's conversation was over
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
        Assert.Single(result.Streams); // never back to the agent

        var record = await e2e.RecordAsync(result.CallSid);
        Assert.Equal("transfer:answered", record!.EndReason);
        Assert.Contains(record.StatusHistory, s => s.Source == "dial-action" && s.Detail == "DialCallStatus=completed");
        var handoff = await e2e.Get<IHandoffStore>().FindLatestHandoffAsync(result.CallSid, default);
        Assert.Equal(("+15005550199", null), (handoff!.Target, handoff.CustomerId));
        Assert.Equal(2, EndToEndCall.HeardTags(result)[^1]); // "let me connect you" was heard before the transfer
    }

    [Theory]
    [InlineData("enqueue", "support", DialOutcome.NoAnswer, "QueueResult=leave", "nobody in the team became free in time")]
    [InlineData("dial", "+15005550199", DialOutcome.Busy, "DialCallStatus=busy", "the line was busy")]
    public async Task Nobody_takes_the_call_so_the_agent_comes_back_on_a_new_stream_with_the_note(
        string action, string target, DialOutcome outcome, string reported, string told)
    {
        await using var e2e = await EndToEndCall.StartAsync(
            AskForAPerson,
            profileJson: EndToEndCall.Profile(p => p["transfer"] = new JsonObject
            {
                ["action"] = action,
                ["target"] = target,
                ["timeout"] = "00:00:30",
                ["whenUnanswered"] = "agent",
            }));
        // The recording goes on after the transfer, so the caller is still there when the agent comes back.
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(7), (1.2, 1.8, "a person please")), o => o with { DialOutcome = outcome });
        SupportCall.Log(output, e2e, result);

        Assert.Equal(2, result.Streams.Count);
        Assert.Equal(reported.Split('=')[1], result.Transfers[0].Outcome);
        var record = await e2e.RecordAsync(result.CallSid);
        Assert.IsType<NextAction.Transfer>(record!.Streams[0].NextAction);
        Assert.Contains(record.StatusHistory, s => s.Source == "dial-action" && s.Detail == reported);
        Assert.Equal(2, record.Streams.Count);
        Assert.DoesNotContain("transfer:", record.EndReason ?? "", StringComparison.Ordinal);

        // The second stream's model session opened with the note: why, the hand-off summary, what to do.
        var back = e2e.Emulator.Sessions[^1];
        var opening = string.Join(Environment.NewLine, back.Entries.Select(e => e.ToString()));
        Assert.Contains(told, opening, StringComparison.Ordinal);
        Assert.Contains("Unverified caller asking about a late delivery.", opening, StringComparison.Ordinal);

        // ...and the agent spoke on it, and the caller heard that.
        var secondStart = result.Streams[1].Started;
        var spokenAfter = result.AgentTurns.Where(t => t.Start >= secondStart).ToList();
        Assert.NotEmpty(spokenAfter);
        Assert.NotNull(EndToEndCall.TagOf(result, spokenAfter[0].Start, spokenAfter[0].End));
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        if (action == "enqueue")
        {
            // Held on /twilio/queue-wait until it said <Leave/> after the transfer's 30 s (simulated: the waits are instant).
            Assert.Contains(result.Timeline, e => e.Text.StartsWith("<Leave/>", StringComparison.Ordinal));
        }
    }
}
