using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Tools;

/// <summary>
/// <c>schedule_callback</c>: business hours, the caller's time zone and its daylight saving time. "Now" is Tuesday
/// 2026-03-10 15:00 UTC: New York is already on EDT (-04:00, since March 8), London still on GMT (until March 29).
/// </summary>
public sealed class ScheduleCallbackToolTests : IDisposable
{
    private readonly SupportToolBed _bed = new();

    [Fact]
    public async Task A_time_in_business_hours_is_stored_for_the_caller_in_their_accounts_time_zone()
    {
        await _bed.VerifyAdaAsync(); // Ada's account says Europe/London

        var result = await _bed.InvokeAsync(_bed.Callback, """{"time":"2026-03-11T15:00:00+00:00","topic":"refund for A1002"}""");

        Assert.Equal("Europe/London", result.Text("time_zone"));
        var callback = Assert.Single(_bed.Stores.Callbacks);
        Assert.Equal((SupportToolBed.AdaPhone, "C-1", "Europe/London", "refund for A1002"), (callback.PhoneE164, callback.CustomerId, callback.TimeZone, callback.Topic));
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 15, 0, 0, TimeSpan.Zero), callback.DueAt);
        var entry = _bed.Audit("schedule_callback").Single();
        Assert.Equal(("scheduled", "C-1"), (entry.Outcome, entry.CustomerId));
        Assert.DoesNotContain("5550001111", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_offset_that_forgot_daylight_saving_time_is_refused_with_the_right_one()
    {
        var result = await _bed.InvokeAsync(_bed.Callback, """{"time":"2026-03-11T10:00:00-05:00","topic":"order","time_zone":"America/New_York"}""");

        Assert.Contains("offset at that time is -04:00, not -05:00", result.Error, StringComparison.Ordinal);
        Assert.Contains("2026-03-11T10:00:00-04:00", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "offset-mismatch"), Single());
        Assert.Empty(_bed.Stores.Callbacks);
    }

    [Fact]
    public async Task The_accounts_zone_changes_offset_on_its_own_date_not_the_businesss()
    {
        await _bed.VerifyAdaAsync();

        // London moves to BST (+01:00) on March 29: +00:00 is right before it and wrong after it.
        var before = await _bed.InvokeAsync(_bed.Callback, """{"time":"2026-03-27T14:00:00+00:00","topic":"a"}""");
        var after = await _bed.InvokeAsync(_bed.Callback, """{"time":"2026-03-30T14:00:00+00:00","topic":"b"}""");
        var afterRight = await _bed.InvokeAsync(_bed.Callback, """{"time":"2026-03-30T14:00:00+01:00","topic":"c"}""");

        Assert.False(before.IsError, before.Error);
        Assert.Contains("+01:00", after.Error, StringComparison.Ordinal);
        Assert.False(afterRight.IsError, afterRight.Error);
        Assert.Equal(["a", "c"], _bed.Stores.Callbacks.Select(c => c.Topic));
    }

    [Fact]
    public async Task Outside_business_hours_is_refused_with_the_next_opening_in_the_callers_time()
    {
        // 21:00 in New York on a Tuesday: closed; the next opening is Wednesday 08:00 there, 07:00 in Chicago.
        var result = await _bed.InvokeAsync(_bed.Callback, """{"time":"2026-03-10T20:00:00-05:00","topic":"x","time_zone":"America/Chicago"}""");

        Assert.Contains("outside our business hours", result.Error, StringComparison.Ordinal);
        Assert.Contains("2026-03-11T07:00:00-05:00", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "outside-business-hours"), Single());
    }

    [Fact]
    public async Task A_closed_date_is_outside_business_hours()
    {
        using var bed = new SupportToolBed(now: new DateTimeOffset(2026, 12, 20, 15, 0, 0, TimeSpan.Zero));

        var christmas = await bed.InvokeAsync(bed.Callback, """{"time":"2026-12-25T10:00:00-05:00","topic":"x","time_zone":"America/New_York"}""");
        var dayAfter = await bed.InvokeAsync(bed.Callback, """{"time":"2026-12-26T10:00:00-05:00","topic":"x","time_zone":"America/New_York"}""");

        Assert.Contains("outside our business hours", christmas.Error, StringComparison.Ordinal);
        Assert.False(dayAfter.IsError, dayAfter.Error); // a Saturday, 09:00-17:00
    }

    [Theory]
    [InlineData("2026-03-10T10:00:00-04:00", "in-past")]
    [InlineData("2026-04-20T10:00:00-04:00", "too-far-ahead")]
    [InlineData("2026-03-11T10:00:00", "invalid-time")] // no offset
    [InlineData("tomorrow at ten", "invalid-time")]
    [InlineData("2026-03-08T02:30:00-05:00", "offset-mismatch")] // does not exist in New York (clocks jump 02:00 → 03:00)
    public async Task Times_that_cannot_be_booked_are_refused(string time, string reason)
    {
        var result = await _bed.InvokeAsync(_bed.Callback, $$"""{"time":"{{time}}","topic":"x","time_zone":"America/New_York"}""");

        Assert.True(result.IsError);
        Assert.Equal(("refused", reason), Single());
    }

    [Fact]
    public async Task Without_any_known_time_zone_the_agent_is_told_to_ask()
    {
        using var bed = new SupportToolBed(p => p.Without("businessHours"));

        var unknown = await bed.InvokeAsync(bed.Callback, """{"time":"2026-03-11T22:00:00-05:00","topic":"x"}""");
        var told = await bed.InvokeAsync(bed.Callback, """{"time":"2026-03-11T22:00:00-05:00","topic":"x","time_zone":"America/Chicago"}""");

        Assert.Contains("Ask which city or region", unknown.Error, StringComparison.Ordinal);
        Assert.False(told.IsError, told.Error); // no business hours: any future time
        Assert.Equal(["time-zone-unknown", ""], bed.Audit("schedule_callback").Select(e => e.Reason));
    }

    [Theory]
    [InlineData("+44 20 7946 0018", "+442079460018")]
    [InlineData("0044 (20) 7946-0018", "+442079460018")]
    public async Task The_number_to_call_back_is_normalized(string said, string stored)
    {
        var result = await _bed.InvokeAsync(_bed.Callback, $$"""{"phone":"{{said}}","time":"2026-03-11T10:00:00-04:00","topic":"x"}""");

        Assert.False(result.IsError, result.Error);
        Assert.Equal(stored, _bed.Stores.Callbacks.Single().PhoneE164);
    }

    [Fact]
    public async Task A_number_that_is_not_a_phone_number_is_refused()
    {
        var result = await _bed.InvokeAsync(_bed.Callback, """{"phone":"12345","time":"2026-03-11T10:00:00-04:00","topic":"x"}""");

        Assert.Contains("country code", result.Error, StringComparison.Ordinal);
        Assert.Equal(("refused", "invalid-phone"), Single());
    }

    public void Dispose() => _bed.Dispose();

    private (string Outcome, string Reason) Single()
    {
        var entry = Assert.Single(_bed.Audit("schedule_callback"));
        return (entry.Outcome, entry.Reason);
    }
}
