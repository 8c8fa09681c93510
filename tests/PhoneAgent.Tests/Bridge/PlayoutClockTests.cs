using PhoneAgent.Bridge;
using PhoneAgent.Bridge.Playout;
using PhoneAgent.Tests.Bridge.Testing;

namespace PhoneAgent.Tests.Bridge;

/// <summary>
/// Pacers on the system clock share one <see cref="PlayoutClock"/> thread: real time, so the bounds are what a caller
/// relies on (never early, never so late that Twilio's buffer runs dry) rather than exact instants.
/// </summary>
public sealed class PlayoutClockTests
{
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Twenty_calls_are_paced_at_20_ms_by_the_one_clock_never_early_and_never_running_dry()
    {
        const int Calls = 20;
        const int FramesPerCall = 40;
        var sinks = new RecordingSink[Calls];
        var pacers = new PlayoutPacer[Calls];
        try
        {
            for (var c = 0; c < Calls; c++)
            {
                sinks[c] = new RecordingSink(TimeProvider.System);
                pacers[c] = new PlayoutPacer(sinks[c], TimeProvider.System, Lead, TimeSpan.FromSeconds(60));
                pacers[c].Enqueue(PlayoutPacerTests.Frames(pacers[c].NewTurn(), FramesPerCall));
            }

            // 40 frames = 800 ms of audio; the first 200 ms go at once, the last frame at 600 ms.
            await WaitUntilAsync(() => pacers.All(p => p.Sent == FramesPerCall), TimeSpan.FromSeconds(5));

            for (var c = 0; c < Calls; c++)
            {
                // The sink's clock starts before the spurt and its first frame goes after the spurt starts: so a frame
                // is early if it went before its deadline on the sink's clock, and late if it went after the first
                // frame plus the audio before it (Twilio would have run dry).
                var frames = sinks[c].Frames.ToList();
                Assert.Equal(FramesPerCall, frames.Count);
                for (var k = 0; k < frames.Count; k++)
                {
                    var due = (Frame * (k + 1)) - Lead;
                    Assert.True(frames[k].At >= due, $"call {c} frame {k} went early: {frames[k].At.TotalMilliseconds} ms < {due.TotalMilliseconds} ms");
                    var sinceFirst = frames[k].At - frames[0].At;
                    Assert.True(sinceFirst <= Frame * k, $"call {c} frame {k} arrived after Twilio needed it: {sinceFirst.TotalMilliseconds} ms");
                }
            }

            Assert.Equal(0, PlayoutClock.Shared.Waiting(pacers));
        }
        finally
        {
            foreach (var pacer in pacers)
            {
                pacer?.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_pacer_whose_sink_throws_is_dropped_and_the_other_calls_go_on()
    {
        var faults = PlayoutClock.Shared.Faults;
        var goodSink = new RecordingSink(TimeProvider.System);
        using var bad = new PlayoutPacer(new ThrowingSink(), TimeProvider.System, Lead, TimeSpan.FromSeconds(60));
        using var good = new PlayoutPacer(goodSink, TimeProvider.System, Lead, TimeSpan.FromSeconds(60));
        good.Enqueue(PlayoutPacerTests.Frames(good.NewTurn(), 30));

        // The first 200 ms leave on the enqueuing thread; the sink throws once the clock thread sends.
        bad.Enqueue(PlayoutPacerTests.Frames(bad.NewTurn(), 30));

        await WaitUntilAsync(() => good.Sent == 30, TimeSpan.FromSeconds(5));
        Assert.Equal(30, goodSink.Frames.Count());
        await WaitUntilAsync(() => PlayoutClock.Shared.Faults > faults, TimeSpan.FromSeconds(5));
    }

    /// <summary>A sink whose socket goes away, from the clock thread's first send on, in a way the transport did not expect.</summary>
    private sealed class ThrowingSink : IPlayoutSink
    {
        public void Send(int turn, ReadOnlySpan<byte> frame, bool mark, long processingTicks) => ThrowOnClockThread();

        public void EndTurn(int turn) => ThrowOnClockThread();

        private static void ThrowOnClockThread()
        {
            if (Thread.CurrentThread.Name == "playout-clock")
            {
                throw new InvalidOperationException("socket gone");
            }
        }

        public Task ClearAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task A_cleared_pacer_sends_nothing_more_while_the_others_go_on()
    {
        var cutSink = new RecordingSink(TimeProvider.System);
        var otherSink = new RecordingSink(TimeProvider.System);
        using var cut = new PlayoutPacer(cutSink, TimeProvider.System, Lead, TimeSpan.FromSeconds(60));
        using var other = new PlayoutPacer(otherSink, TimeProvider.System, Lead, TimeSpan.FromSeconds(60));
        cut.Enqueue(PlayoutPacerTests.Frames(cut.NewTurn(), 30));
        other.Enqueue(PlayoutPacerTests.Frames(other.NewTurn(), 30));
        await WaitUntilAsync(() => cut.Sent >= 12, TimeSpan.FromSeconds(5));

        var (dropped, _) = cut.Clear();
        var sentAtClear = cut.Sent;
        await WaitUntilAsync(() => other.Sent == 30, TimeSpan.FromSeconds(5));

        Assert.Equal(30, sentAtClear + dropped);
        Assert.Equal(sentAtClear, cut.Sent);
        Assert.Equal(sentAtClear, cutSink.Frames.Count());
        Assert.Equal(0, PlayoutClock.Shared.Waiting([cut, other]));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
