using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Tests.Telephony;

public sealed class PlaybackTrackerTests
{
    [Fact]
    public void Marks_echoed_before_clear_were_played_and_after_clear_were_cleared()
    {
        var tracker = new PlaybackTracker();
        var m1 = new PlaybackMark(1, 10, Final: false);
        var m2 = new PlaybackMark(1, 20, Final: false);
        var m3 = new PlaybackMark(1, 25, Final: true);
        tracker.OnMarkSent(m1);
        tracker.OnMarkSent(m2);
        tracker.OnMarkSent(m3);

        Assert.Equal((m1, true), tracker.OnMarkEchoed(m1.Name));
        tracker.OnClearSent();
        Assert.Equal((m2, false), tracker.OnMarkEchoed(m2.Name));
        Assert.Equal((m3, false), tracker.OnMarkEchoed(m3.Name));

        var turn = tracker.GetTurn(1);
        Assert.Equal(new TurnPlayback(1, FramesMarked: 25, FramesPlayed: 10, Finished: false, Cleared: true), turn);
        Assert.Equal(TimeSpan.FromMilliseconds(200), tracker.Heard(1));
        Assert.False(tracker.HasPendingMarks);
    }

    [Fact]
    public async Task Marks_sent_after_a_clear_are_judged_afresh_and_the_final_mark_completes_the_turn()
    {
        var tracker = new PlaybackTracker();
        tracker.OnMarkSent(new PlaybackMark(1, 5, false));
        tracker.OnClearSent();
        var next = new PlaybackMark(2, 8, Final: true);
        tracker.OnMarkSent(next);
        var played = tracker.WhenTurnPlayedAsync(2);
        var cleared = tracker.WhenTurnPlayedAsync(1);

        Assert.Equal(false, tracker.OnMarkEchoed("t1.f5")?.Played);
        Assert.Equal(true, tracker.OnMarkEchoed(next.Name)?.Played);

        Assert.True(await played);
        Assert.False(await cleared);
        Assert.Equal(8, tracker.FramesHeard(2));
    }

    [Theory]
    [InlineData("t1.f5")]
    [InlineData("nonsense")]
    [InlineData(null)]
    public void Unknown_or_repeated_echoes_are_ignored(string? name)
    {
        var tracker = new PlaybackTracker();
        Assert.Null(tracker.OnMarkEchoed(name));
    }

    [Theory]
    [InlineData("t3.f120", 3, 120, false)]
    [InlineData("t12.f0.end", 12, 0, true)]
    public void Mark_names_round_trip(string name, int turn, int frames, bool final)
    {
        Assert.True(PlaybackMark.TryParse(name, out var mark));
        Assert.Equal(new PlaybackMark(turn, frames, final), mark);
        Assert.Equal(name, mark.Name);
    }
}
