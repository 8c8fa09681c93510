using System.Globalization;
using PhoneAgent.CallReplay;
using PhoneAgent.EndToEnd.Tests.Testing;
using PhoneAgent.Support;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>schedule_callback and the after-hours profile through whole calls.</summary>
public sealed class SupportCallbackAndKnowledgeTests(ITestOutputHelper output)
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task A_callback_inside_business_hours_is_stored_and_one_outside_them_is_refused()
    {
        // The shipped hours are New York, Monday to Friday 08:00–20:00: a weekday a few days ahead, at 10:00 and at 22:00.
        var day = NextWeekday(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date.AddDays(2));
        var open = At(day, 10);
        var closed = At(day, 22);
        await using var e2e = await EndToEndCall.StartAsync(
            $$"""
            { "name": "support-callback", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "Call me back at ten in the evening about my refund.",
                "toolCalls": [ { "name": "schedule_callback", "args": { "time": "{{Iso(closed)}}", "topic": "refund question" } } ],
                "afterToolResponse": { "clip": "okay" } },
              { "caller": "Ten in the morning then.",
                "toolCalls": [ { "name": "schedule_callback", "args": { "time": "{{Iso(open)}}", "topic": "refund question" } } ],
                "afterToolResponse": { "text": "Booked for {output.time}." } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """);
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(7), (1.2, 1.8, "ten pm"), (3.8, 4.4, "ten am")));
        SupportCall.Log(output, e2e, result);

        var callback = Assert.Single(await e2e.Get<IHandoffStore>().ListCallbacksAsync(result.CallSid, default));
        Assert.Equal(open, callback.DueAt);
        Assert.Equal(open.Offset, callback.DueAt.Offset);
        Assert.Equal(("America/New_York", CallReplayDefaults.From, "refund question"), (callback.TimeZone, callback.PhoneE164, callback.Topic));
        Assert.Equal(
            ["refused:outside-business-hours", "scheduled:"],
            (await e2e.AuditAsync(result.CallSid, "schedule_callback")).Select(a => $"{a.Outcome}:{a.Reason}"));
        Assert.Contains($"Booked for {Iso(open)}.", await e2e.AgentTranscriptAsync(result.CallSid), StringComparison.Ordinal);
        Assert.Equal(3, EndToEndCall.HeardTags(result)[^1]);
    }

    [Fact]
    public async Task After_hours_the_after_hours_profile_answers_from_the_knowledge_base()
    {
        await using var e2e = await EndToEndCall.StartAsync(
            """
            { "name": "support-after-hours-faq", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "When are you open on Saturday?",
                "toolCalls": [ { "name": "search_knowledge_base", "args": { "query": "phone support opening hours saturday" } } ],
                "afterToolResponse": { "text": "{output.results.0.title}" } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """,
            settings: new Dictionary<string, string?> { ["PhoneAgent:BusinessHours"] = "AlwaysClosed" });
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(5), (1.2, 1.8, "saturday?")));
        SupportCall.Log(output, e2e, result);

        // The voice webhook picked after-hours for the default number while closed; its greeting opened the session.
        Assert.Equal("after-hours", (await e2e.RecordAsync(result.CallSid))!.Profile);
        Assert.Contains("Our team is closed right now", e2e.EmulatorLog(), StringComparison.Ordinal);

        // The tool answered with the article's passage; the agent said its title, and the caller heard that turn.
        Assert.Contains("Saturday from 9 am to 5 pm", e2e.EmulatorLog(), StringComparison.Ordinal);
        Assert.Contains("Opening hours › Phone support hours", await e2e.AgentTranscriptAsync(result.CallSid), StringComparison.Ordinal);
        Assert.Equal([1, 2], EndToEndCall.HeardTags(result));
    }

    private static DateTime NextWeekday(DateTime day)
    {
        // Skips weekends and the shipped closed dates (Christmas, New Year's Day).
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || (day.Month, day.Day) is (12, 25) or (1, 1))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static DateTimeOffset At(DateTime day, int hour)
    {
        var wall = day.Date.AddHours(hour);
        return new DateTimeOffset(wall, NewYork.GetUtcOffset(wall));
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
