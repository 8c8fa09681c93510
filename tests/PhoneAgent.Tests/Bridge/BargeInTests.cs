using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Bridge;
using PhoneAgent.Tests.Bridge.Testing;

namespace PhoneAgent.Tests.Bridge;

public sealed class BargeInTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void No_frame_of_the_cut_turn_goes_out_after_clear_and_the_next_turn_plays()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        pump.Ingest(1, 0, Tone(TimeSpan.FromSeconds(1)), 24_000, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var cutTurn = pump.Lookup(1).PlayoutTurn;

        var cut = pump.Interrupt(1);
        pump.Ingest(1, 1, Tone(TimeSpan.FromMilliseconds(500)), 24_000, TimeSpan.FromMilliseconds(500)); // late audio of the cut turn
        _time.Advance(TimeSpan.FromSeconds(1));
        pump.Ingest(2, 2, Tone(TimeSpan.FromMilliseconds(400)), 24_000, TimeSpan.FromMilliseconds(400));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(cutTurn, cut.PlayoutTurn);
        Assert.Equal(TimeSpan.FromSeconds(1), cut.Received);
        Assert.True(cut.Dropped > 30);
        var clear = sink.Items.FindIndex(i => i.Kind == "clear");
        Assert.True(clear > 0);
        Assert.DoesNotContain(sink.Items.Skip(clear), i => i.Turn == cutTurn);
        Assert.Equal(20, sink.Items.Skip(clear).Count(i => i.Kind == "frame" && i.Turn == pump.Lookup(2).PlayoutTurn));
    }

    [Fact]
    public void A_turn_complete_that_overtakes_its_audio_still_gets_the_turn_and_its_final_mark()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        var started = new List<(long Model, int Playout)>();
        pump.TurnStarted = (model, playout) => started.Add((model, playout));

        var playoutTurn = pump.CompleteTurn(2, lastSequence: 5); // the event lane ran ahead of the audio lane
        pump.Ingest(2, 5, Tone(TimeSpan.FromMilliseconds(100)), 24_000, TimeSpan.FromMilliseconds(100));

        Assert.NotEqual(0, playoutTurn);
        Assert.Equal([(2L, playoutTurn)], started);
        Assert.Equal(5, sink.Items.Count(i => i.Kind == "frame" && i.Turn == playoutTurn));
        Assert.Equal("end", sink.Items[^1].Kind);
        Assert.Equal(0, pump.CompleteTurn(1, lastSequence: 3)); // an older turn whose audio never came: nothing to wait for
    }

    [Fact]
    public void Turn_complete_of_the_next_turn_overtaking_the_current_turns_audio_keeps_each_turn_whole()
    {
        // A model that says two turns at once (a greeting in two parts): on a busy machine the event lane can hand over
        // both turnCompletes before the audio lane has framed the first turn's audio.
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        var started = new List<(long Model, int Playout)>();
        pump.TurnStarted = (model, playout) => started.Add((model, playout));

        pump.Ingest(1, 0, Tone(TimeSpan.FromMilliseconds(200)), 24_000, TimeSpan.FromMilliseconds(200));
        var first = pump.CompleteTurn(1, lastSequence: 2);
        var second = pump.CompleteTurn(2, lastSequence: 4);
        for (var sequence = 1; sequence <= 2; sequence++)
        {
            pump.Ingest(1, sequence, Tone(TimeSpan.FromMilliseconds(200)), 24_000, TimeSpan.FromMilliseconds(200));
        }

        for (var sequence = 3; sequence <= 4; sequence++)
        {
            pump.Ingest(2, sequence, Tone(TimeSpan.FromMilliseconds(200)), 24_000, TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal([(1L, first), (2L, second)], started);
        Assert.True(second > first);
        Assert.Equal([first, second], sink.Frames.Select(f => f.Turn).Distinct());
        Assert.Equal(30, sink.Frames.Count(f => f.Turn == first));
        Assert.Equal(20, sink.Frames.Count(f => f.Turn == second));
        Assert.Equal([first, second], sink.Items.Where(i => i.Kind == "end").Select(i => i.Turn));
        Assert.Equal(TimeSpan.FromMilliseconds(600), pump.Lookup(1).Received);
    }

    [Fact]
    public void Clear_is_sent_even_when_nothing_is_queued_here()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        pump.Ingest(1, 0, Tone(TimeSpan.FromMilliseconds(100)), 24_000, TimeSpan.FromMilliseconds(100)); // all of it at Twilio at once

        var cut = pump.Interrupt(1);

        Assert.Equal(0, cut.Dropped);
        Assert.Equal("clear", sink.Items[^1].Kind);
        Assert.Equal(0, pump.Interrupt(7).PlayoutTurn); // a turn with no audio at all: clear all the same
        Assert.Equal(2, sink.Items.Count(i => i.Kind == "clear"));
    }

    [Fact]
    public void Barge_in_resets_the_resampler_so_the_next_turn_starts_clean()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        pump.Ingest(1, 0, Tone(TimeSpan.FromMilliseconds(310)), 24_000, TimeSpan.FromMilliseconds(310));
        var resets = pump.ResamplerResets;

        pump.Interrupt(1);
        pump.Ingest(2, 1, Tone(TimeSpan.FromMilliseconds(200), 600), 24_000, TimeSpan.FromMilliseconds(200));

        Assert.True(pump.ResamplerResets > resets);

        // The next turn's frames equal those of a fresh pipeline fed the same audio: nothing of turn 1 leaked in.
        var freshSink = new RecordingSink(_time);
        using var freshPacer = new PlayoutPacer(freshSink, _time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        using var fresh = new DownstreamAudioPump(freshPacer, _time);
        fresh.Ingest(5, 0, Tone(TimeSpan.FromMilliseconds(200), 600), 24_000, TimeSpan.FromMilliseconds(200));
        var after = sink.Frames.Where(f => f.Turn == pump.Lookup(2).PlayoutTurn).Select(f => f.Frame!).ToList();
        var expected = freshSink.Frames.Select(f => f.Frame!).ToList();
        Assert.Equal(expected.Count, after.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], after[i]);
        }
    }

    [Fact]
    public void Each_model_chunk_ends_with_a_mark_and_the_turn_with_its_final_mark()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        pump.Ingest(1, 0, Tone(TimeSpan.FromMilliseconds(100)), 24_000, TimeSpan.FromMilliseconds(100));
        pump.Ingest(1, 1, Tone(TimeSpan.FromMilliseconds(110)), 24_000, TimeSpan.FromMilliseconds(110));

        pump.CompleteTurn(1, lastSequence: 1);

        Assert.Equal(2, sink.Items.Count(i => i.Kind == "mark"));
        Assert.Equal("end", sink.Items[^1].Kind);
        Assert.Equal(11, sink.Frames.Count()); // 210 ms: ten whole frames and a padded one
    }

    [Fact]
    public void A_finished_generation_sends_its_last_partial_frame_at_once_and_turn_complete_only_the_final_mark()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        pump.Ingest(1, 0, Tone(TimeSpan.FromMilliseconds(110)), 24_000, TimeSpan.FromMilliseconds(110));
        Assert.Equal(5, sink.Frames.Count());

        pump.GenerationComplete(1);
        Assert.Equal(6, sink.Frames.Count()); // the padded tail, without waiting for turnComplete
        _time.Advance(TimeSpan.FromSeconds(1));
        pump.CompleteTurn(1, lastSequence: 0);

        Assert.Equal(6, sink.Frames.Count());
        Assert.Equal("end", sink.Items[^1].Kind);
    }

    [Fact]
    public void The_hold_cue_plays_after_queued_speech_and_stops_when_the_model_speaks_again()
    {
        var sink = new RecordingSink(_time);
        using var pacer = new PlayoutPacer(sink, _time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));
        using var pump = new DownstreamAudioPump(pacer, _time);
        pump.StartHoldCue(HoldCueAudio.Tone(440), TimeSpan.FromSeconds(10));
        Step(TimeSpan.FromSeconds(1));
        var cueTurn = sink.Frames.First().Turn;
        Assert.Equal(60, sink.Frames.Count()); // paced like speech: lead + one per 20 ms // paced like speech: lead + one per 20 ms

        pump.Ingest(1, 0, Tone(TimeSpan.FromMilliseconds(200)), 24_000, TimeSpan.FromMilliseconds(200)); // the answer
        Step(TimeSpan.FromSeconds(2));

        var answerTurn = pump.Lookup(1).PlayoutTurn;
        Assert.True(answerTurn > cueTurn);
        Assert.Equal(10, sink.Frames.Count(f => f.Turn == answerTurn));
        Assert.Equal(60 + 10, sink.Frames.Count()); // nothing more of the cue
    }

    /// <summary>Moves the fake clock in 20 ms steps, as real time passes (FakeTimeProvider jumps otherwise).</summary>
    private void Step(TimeSpan total)
    {
        for (var t = TimeSpan.Zero; t < total; t += TimeSpan.FromMilliseconds(20))
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }
    }

    internal static byte[] Tone(TimeSpan duration, double frequency = 1000)
    {
        var samples = (int)(24_000 * duration.TotalSeconds);
        var bytes = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var s = (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / 24_000));
            bytes[2 * i] = (byte)s;
            bytes[(2 * i) + 1] = (byte)(s >> 8);
        }

        return bytes;
    }
}
