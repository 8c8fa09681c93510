using PhoneAgent.CallReplay.Load;

namespace PhoneAgent.CallReplay.Tests.Load;

/// <summary>The generator's send lateness by time, and how it tells the generator's own stalls from the server's gaps.</summary>
public sealed class SendLatenessTimelineTests
{
    [Fact]
    public void Keeps_the_largest_lateness_of_the_frames_due_in_each_window()
    {
        var timeline = new SendLatenessTimeline();
        timeline.Record(dueMs: 1_003, latenessMs: 2.5);
        timeline.Record(dueMs: 1_007, latenessMs: 41.2);
        timeline.Record(dueMs: 1_008, latenessMs: 3);
        timeline.Record(dueMs: 59_995, latenessMs: 12); // the last slot of the first minute
        timeline.Record(dueMs: 60_001, latenessMs: 7);  // the first of the next

        Assert.Equal(41.2, timeline.MaxMs(1_000, 1_009), 3);
        Assert.Equal(0, timeline.MaxMs(1_010, 59_989));
        Assert.Equal(12, timeline.MaxMs(59_990, 60_005), 3);
        Assert.Equal(7, timeline.MaxMs(60_000, 61_000), 3);
        Assert.Equal(41.2, timeline.MaxMs(0, 120_000), 3);
    }

    [Fact]
    public void Ignores_frames_before_the_run_and_beyond_a_day()
    {
        var timeline = new SendLatenessTimeline();
        timeline.Record(dueMs: -5, latenessMs: 80);
        timeline.Record(dueMs: TimeSpan.FromDays(2).TotalMilliseconds, latenessMs: 80);
        timeline.Record(dueMs: 10, latenessMs: double.NaN);

        Assert.Equal(0, timeline.MaxMs(-1_000, TimeSpan.FromDays(3).TotalMilliseconds));
    }

    [Fact]
    public async Task Frames_recorded_from_many_threads_at_once_keep_the_largest()
    {
        var timeline = new SendLatenessTimeline();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                timeline.Record(dueMs: i % 100, latenessMs: (t * 20_000 + i) / 1000.0);
            }
        })));

        Assert.Equal((7 * 20_000 + 19_999) / 1000.0, timeline.MaxMs(0, 100), 3);
    }

    [Theory]
    [InlineData(9_950, 70, true)]   // stalled from before the gap began to its end: as long as the gap
    [InlineData(9_925, 80, true)]   // a frame due in the frame before the gap
    [InlineData(9_950, 59, false)]  // late, but less than the gap: the server's
    [InlineData(9_000, 200, false)] // a stall long before the gap
    [InlineData(10_050, 200, false)] // a stall after the audio had resumed
    public void A_gap_is_the_generators_only_when_it_was_stalled_at_least_as_long_around_it(double dueMs, double latenessMs, bool generators)
    {
        var timeline = new SendLatenessTimeline();
        timeline.Record(dueMs: 9_941, latenessMs: 4); // the usual lateness
        timeline.Record(dueMs, latenessMs);

        // 60 ms of silence from 9,940 ms; the audio resumed at 10,000 ms
        var gap = LongUnderrun.Of(atMs: 10_000, ms: 60, timeline);

        Assert.Equal(generators, gap.DuringGeneratorStall);
    }
}
