using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Bridge;
using PhoneAgent.Tests.Bridge.Testing;

namespace PhoneAgent.Tests.Bridge;

public sealed class PlayoutPacerTests
{
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(200);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Sends_the_lead_at_once_then_one_frame_every_20_ms_on_an_absolute_clock()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, Lead, TimeSpan.FromSeconds(60));
        var turn = pacer.NewTurn();

        pacer.Enqueue(Frames(turn, 50));
        Assert.Equal(10, sink.Frames.Count());

        for (var step = 1; step <= 40; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            Assert.Equal(10 + step, sink.Frames.Count());
            Assert.True(pacer.AheadAtTwilio <= Lead);
        }

        // Frame k (0-based) goes at (k + 1) × 20 ms − lead: never earlier, never later.
        var frames = sink.Frames.ToList();
        for (var k = 0; k < frames.Count; k++)
        {
            var due = TimeSpan.FromMilliseconds(Math.Max(0, ((k + 1) * 20) - 200));
            Assert.Equal(due, frames[k].At);
        }
    }

    [Fact]
    public void A_late_timer_releases_the_frames_that_are_due_without_drifting()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, Lead, TimeSpan.FromSeconds(60));
        pacer.Enqueue(Frames(pacer.NewTurn(), 30));

        _time.Advance(TimeSpan.FromMilliseconds(110)); // five frames came due meanwhile (a slow timer)
        Assert.Equal(15, sink.Frames.Count());
        _time.Advance(TimeSpan.FromMilliseconds(10)); // back on the 20 ms grid: the 16th frame is due at 120 ms
        Assert.Equal(16, sink.Frames.Count());
        Assert.True(pacer.AheadAtTwilio <= Lead);
    }

    [Fact]
    public void Starts_a_new_spurt_after_running_dry_and_marks_the_turn_end_after_its_last_frame()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, Lead, TimeSpan.FromSeconds(60));
        var first = pacer.NewTurn();
        pacer.Enqueue(Frames(first, 3));
        pacer.EndTurn(first);
        Assert.Equal(["frame", "frame", "frame", "end"], sink.Items.Select(i => i.Kind));

        _time.Advance(TimeSpan.FromSeconds(2));
        var second = pacer.NewTurn();
        pacer.Enqueue(Frames(second, 12));
        Assert.Equal(10, sink.Frames.Count(f => f.Turn == second)); // a full lead again, at once
    }

    [Fact]
    public void Clear_drops_everything_queued_and_resets_the_clock()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, Lead, TimeSpan.FromSeconds(60));
        var turn = pacer.NewTurn();
        pacer.Enqueue(Frames(turn, 100));

        var (dropped, written) = pacer.Clear();

        Assert.Equal(90, dropped);
        Assert.True(written.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, sink.Frames.Count());
        var next = pacer.NewTurn();
        pacer.Enqueue(Frames(next, 10));
        Assert.Equal(10, sink.Frames.Count(f => f.Turn == next));
    }

    [Fact]
    public void Drops_the_oldest_frames_beyond_the_time_bound()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, Lead, TimeSpan.FromSeconds(1));
        pacer.Enqueue(Frames(pacer.NewTurn(), 200));
        Assert.True(pacer.Queued <= 50);
    }

    [Fact]
    public void A_spurt_waits_for_the_start_buffer_then_sends_the_lead_at_once()
    {
        var sink = new RecordingSink(_time);
        using var pacer = StartBuffered(sink);
        var turn = pacer.NewTurn();

        pacer.Enqueue(Frames(turn, 3)); // one 60 ms model chunk
        _time.Advance(TimeSpan.FromMilliseconds(15));
        Assert.Empty(sink.Frames);

        pacer.Enqueue(Frames(turn, 3)); // the second chunk: 120 ms in hand
        Assert.Equal(6, sink.Frames.Count());
        Assert.All(sink.Frames, f => Assert.Equal(TimeSpan.FromMilliseconds(15), f.At));

        pacer.Enqueue(Frames(turn, 10)); // later chunks of the running spurt: no waiting, paced by the lead
        Assert.Equal(10, sink.Frames.Count());
    }

    [Fact]
    public void A_spurt_goes_after_the_longest_wait_even_with_less_in_hand()
    {
        var sink = new RecordingSink(_time);
        using var pacer = StartBuffered(sink);
        pacer.Enqueue(Frames(pacer.NewTurn(), 3));

        _time.Advance(TimeSpan.FromMilliseconds(39));
        Assert.Empty(sink.Frames);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, sink.Frames.Count());
        Assert.All(sink.Frames, f => Assert.Equal(TimeSpan.FromMilliseconds(40), f.At));
    }

    [Fact]
    public void A_turn_that_has_ended_goes_at_once_however_short()
    {
        var sink = new RecordingSink(_time);
        using var pacer = StartBuffered(sink);
        var turn = pacer.NewTurn();
        pacer.Enqueue(Frames(turn, 2));
        Assert.Empty(sink.Frames);

        pacer.EndTurn(turn);

        Assert.Equal(["frame", "frame", "end"], sink.Items.Select(i => i.Kind));
        Assert.All(sink.Frames, f => Assert.Equal(TimeSpan.Zero, f.At));
    }

    [Fact]
    public void After_running_dry_mid_turn_the_next_spurt_waits_again_and_a_clear_forgets_the_wait()
    {
        var sink = new RecordingSink(_time);
        using var pacer = StartBuffered(sink);
        var turn = pacer.NewTurn();
        pacer.Enqueue(Frames(turn, 5));
        Assert.Equal(5, sink.Frames.Count());

        _time.Advance(TimeSpan.FromMilliseconds(500)); // Twilio ran dry: the model was slow
        pacer.Enqueue(Frames(turn, 3));
        Assert.Equal(5, sink.Frames.Count());
        _time.Advance(TimeSpan.FromMilliseconds(20));
        pacer.Clear(); // barge-in while held: nothing of it goes out, and the wait starts afresh
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, sink.Frames.Count());

        var next = pacer.NewTurn();
        pacer.Enqueue(Frames(next, 3));
        _time.Advance(TimeSpan.FromMilliseconds(39));
        Assert.Equal(0, sink.Frames.Count(f => f.Turn == next));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, sink.Frames.Count(f => f.Turn == next));
    }

    [Fact]
    public void Each_spurt_records_how_long_its_first_frame_waited()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var waits = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "phoneagent.bridge.pacing.start_wait" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => waits.Add(value));
        listener.Start();
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, Lead, TimeSpan.FromSeconds(60), new BridgeMetrics(meters), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(40));

        var turn = pacer.NewTurn();
        pacer.Enqueue(Frames(turn, 3));
        _time.Advance(TimeSpan.FromMilliseconds(15));
        pacer.Enqueue(Frames(turn, 3)); // the second chunk: the spurt goes after 15 ms
        _time.Advance(TimeSpan.FromSeconds(1));
        pacer.Enqueue(Frames(pacer.NewTurn(), 5)); // a whole 100 ms at once: no wait

        Assert.Equal([15.0, 0.0], waits);
    }

    private PlayoutPacer StartBuffered(RecordingSink sink) =>
        new(sink, _time, Lead, TimeSpan.FromSeconds(60), startBuffer: TimeSpan.FromMilliseconds(100), startMaxWait: TimeSpan.FromMilliseconds(40));

    internal static PlayoutFrame[] Frames(int turn, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var frame = PlayoutFrame.Rent(turn);
            frame.Buffer.AsSpan(0, 160).Fill((byte)i);
            return frame;
        })];
}
