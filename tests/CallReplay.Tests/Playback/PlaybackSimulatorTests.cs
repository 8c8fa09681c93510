using PhoneAgent.CallReplay.Playback;
using PhoneAgent.CallReplay.Tests.Testing;

namespace PhoneAgent.CallReplay.Tests.Playback;

public sealed class PlaybackSimulatorTests
{
    private static readonly TimeSpan Origin = TimeSpan.FromMilliseconds(1000);

    private static TimeSpan Ms(double ms) => Origin + TimeSpan.FromMilliseconds(ms);

    private readonly List<PlaybackEvent> _events = [];
    private readonly PlaybackSimulator _sim = new(new PlaybackOptions { Origin = Origin });

    [Fact]
    public void Mark_after_five_frames_comes_back_when_they_have_played()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(100), _events);
        _sim.EnqueueMark(Ms(0), "m1", _events);
        Assert.DoesNotContain(_events, e => e is MarkEchoEvent);
        Assert.Equal(Ms(100), _sim.NextDue); // the chunk is playing: next due at its end

        _sim.AdvanceTo(Ms(99.9), _events);
        Assert.DoesNotContain(_events, e => e is MarkEchoEvent);

        _sim.AdvanceTo(Ms(100), _events);
        var echo = Assert.Single(_events.OfType<MarkEchoEvent>());
        Assert.Equal(("m1", true, Ms(100)), (echo.Name, echo.Played, echo.At));
    }

    [Fact]
    public void Mark_with_nothing_buffered_comes_back_at_once()
    {
        _sim.EnqueueMark(Ms(37), "idle", _events);
        var echo = Assert.Single(_events.OfType<MarkEchoEvent>());
        Assert.Equal(Ms(37), echo.At);

        _events.Clear();
        _sim.EnqueueAudio(Ms(40), Audio.Marker(20), _events);
        _sim.AdvanceTo(Ms(70), _events);
        _sim.EnqueueMark(Ms(70), "after", _events);
        Assert.Equal(Ms(70), Assert.Single(_events.OfType<MarkEchoEvent>()).At);
    }

    [Fact]
    public void Audio_plays_back_to_back_in_arrival_order_and_idle_audio_waits_for_the_next_20ms_packet()
    {
        _sim.EnqueueAudio(Ms(5), Audio.Marker(40), _events);     // idle: starts at the 20 ms boundary
        _sim.EnqueueAudio(Ms(10), Audio.Marker(40, 0x90), _events); // queued behind it
        _sim.EnqueueMark(Ms(10), "two", _events);
        _sim.AdvanceTo(Ms(200), _events);

        var chunks = _sim.Chunks;
        Assert.Equal(Ms(20), chunks[0].Start);
        Assert.Equal(Ms(60), chunks[1].Start);
        Assert.Equal(Ms(100), Assert.Single(_events.OfType<MarkEchoEvent>()).At);
        Assert.Single(_events.OfType<AudioStartedEvent>());
        Assert.Equal(Ms(100), Assert.Single(_events.OfType<AudioDrainedEvent>()).At);
        Assert.All(chunks, c => Assert.Equal(ChunkFate.Played, c.Fate));
    }

    [Fact]
    public void Odd_sized_payloads_play_as_one_byte_stream()
    {
        _sim.EnqueueAudio(Ms(0), new byte[100], _events);
        _sim.EnqueueAudio(Ms(0), new byte[60], _events);
        _sim.EnqueueMark(Ms(0), "m", _events);
        _sim.AdvanceTo(Ms(19.9), _events);
        Assert.Empty(_events.OfType<MarkEchoEvent>());
        _sim.AdvanceTo(Ms(20), _events);
        Assert.Single(_events.OfType<MarkEchoEvent>());
        Assert.Equal(Ms(12.5), _sim.Chunks[1].Start);
    }

    [Fact]
    public void Clear_drops_unplayed_audio_and_echoes_every_pending_mark_at_once()
    {
        for (var i = 1; i <= 5; i++)
        {
            _sim.EnqueueAudio(Ms(0), Audio.Marker(100), _events);
            _sim.EnqueueMark(Ms(0), $"m{i}", _events);
        }

        _sim.AdvanceTo(Ms(150), _events);
        Assert.Equal(["m1"], _events.OfType<MarkEchoEvent>().Select(e => e.Name));
        _events.Clear();

        _sim.Clear(Ms(150), _events);

        var echoes = _events.OfType<MarkEchoEvent>().ToList();
        Assert.Equal(["m2", "m3", "m4", "m5"], echoes.Select(e => e.Name));
        Assert.All(echoes, e => Assert.Equal((Ms(150), false), (e.At, e.Played)));
        var cleared = Assert.Single(_events.OfType<ClearedEvent>());
        Assert.True(cleared.WasPlaying);
        Assert.Equal(TimeSpan.FromMilliseconds(350), cleared.Dropped);
        Assert.Equal(400, _sim.Chunks[1].PlayedBytes); // half of chunk 2 was heard
        Assert.Equal(ChunkFate.Cleared, _sim.Chunks[1].Fate);
        Assert.Equal(0, _sim.Chunks[2].PlayedBytes);
        Assert.False(_sim.IsPlaying(Ms(150)));
        Assert.Null(_sim.NextDue);

        // Audio after the clear plays from the next packet boundary, not after the dropped audio.
        _events.Clear();
        _sim.EnqueueAudio(Ms(151), Audio.Marker(20), _events);
        Assert.Equal(Ms(160), _sim.Chunks[^1].Start);
    }

    [Fact]
    public void Clear_with_nothing_buffered_echoes_nothing()
    {
        _sim.Clear(Ms(10), _events);
        var cleared = Assert.Single(_events.OfType<ClearedEvent>());
        Assert.False(cleared.WasPlaying);
        Assert.Equal(0, cleared.MarksEchoed);
    }

    [Fact]
    public void End_of_stream_cuts_the_audio_and_never_echoes_pending_marks()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(200), _events);
        _sim.EnqueueMark(Ms(0), "never", _events);
        _sim.EndStream(Ms(50), _events);
        Assert.Empty(_events.OfType<MarkEchoEvent>());
        var ended = Assert.Single(_events.OfType<StreamEndedEvent>());
        Assert.Equal((TimeSpan.FromMilliseconds(150), 1), (ended.Dropped, ended.MarksPending));
        Assert.Equal(400, _sim.Chunks[0].PlayedBytes);
    }

    [Fact]
    public void Heard_events_carry_exactly_the_played_bytes_at_their_play_time()
    {
        var audio = Audio.Marker(100);
        _sim.EnqueueAudio(Ms(0), audio, _events);
        _sim.Clear(Ms(30), _events);
        var heard = Assert.Single(_events.OfType<AudioHeardEvent>());
        Assert.Equal(Ms(0), heard.At);
        Assert.Equal(240, heard.Audio.Length);
    }

    [Fact]
    public void Buffer_cap_drops_the_newest_audio_beyond_it()
    {
        var capped = new PlaybackSimulator(new PlaybackOptions { Origin = Origin, BufferCap = TimeSpan.FromMilliseconds(300) });
        capped.EnqueueAudio(Ms(0), Audio.Marker(200), _events);
        capped.EnqueueAudio(Ms(0), Audio.Marker(200), _events);
        var overflow = Assert.Single(_events.OfType<OverflowEvent>());
        Assert.Equal(800, overflow.DroppedBytes);
        Assert.Equal(800, capped.Chunks[1].Bytes);
        Assert.Equal(TimeSpan.FromMilliseconds(300), capped.MaxBuffered);
    }

    [Fact]
    public void Without_a_cap_the_largest_lead_is_measured()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(1000), _events);
        _sim.AdvanceTo(Ms(500), _events);
        _sim.EnqueueAudio(Ms(500), Audio.Marker(1000), _events);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), _sim.MaxBuffered);
    }

    [Fact]
    public void Marks_tag_the_audio_sent_before_them_with_their_turn()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(20), _events);
        _sim.EnqueueAudio(Ms(0), Audio.Marker(20), _events);
        _sim.EnqueueMark(Ms(0), "t3.f2", _events);
        _sim.EnqueueAudio(Ms(0), Audio.Marker(20), _events);
        _sim.EnqueueMark(Ms(0), "t3.f3.end", _events);
        _sim.EnqueueAudio(Ms(0), Audio.Marker(20), _events);
        _sim.EnqueueMark(Ms(0), "turn-4:chunk-1", _events);
        _sim.EnqueueAudio(Ms(0), Audio.Marker(20), _events);
        _sim.EnqueueMark(Ms(0), "no-turn-here", _events);

        Assert.Equal([3, 3, 3, 4, null], _sim.Chunks.Select(c => c.MarkTurn));
        Assert.True(_sim.Chunks[2].BeforeFinalMark);
    }

    [Fact]
    public void A_new_agent_turn_starts_when_the_tag_changes_even_back_to_back()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(100), _events);
        _sim.EnqueueMark(Ms(0), "t1.f5", _events);
        _sim.EnqueueAudio(Ms(0), Audio.Marker(100), _events);
        _sim.EnqueueMark(Ms(0), "t2.f5", _events);
        _sim.AdvanceTo(Ms(300), _events);

        var turns = AgentTurnBuilder.Build(_sim.Chunks, TimeSpan.FromMilliseconds(500));
        Assert.Equal([1, 2], turns.Select(t => t.Tag!.Value));
        Assert.Equal(Ms(100), turns[1].Start);
        var frames = AgentTurnBuilder.Frames(_sim.Chunks, TimeSpan.FromMilliseconds(500));
        Assert.Equal(10, frames.Count);
        Assert.Equal(5, frames.Count(f => f.Tag == 1));
        Assert.Equal(5, frames.Count(f => f.Tag == 2));
    }

    [Fact]
    public void Gaps_inside_a_turn_are_underruns_and_long_untagged_gaps_start_a_new_turn()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(100), _events);
        _sim.AdvanceTo(Ms(180), _events);                          // 80 ms of silence: an underrun
        _sim.EnqueueAudio(Ms(180), Audio.Marker(100), _events);
        _sim.AdvanceTo(Ms(1000), _events);                         // 720 ms of silence: a new turn
        _sim.EnqueueAudio(Ms(1000), Audio.Marker(100), _events);
        _sim.AdvanceTo(Ms(2000), _events);

        var turns = AgentTurnBuilder.Build(_sim.Chunks, TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, turns.Count);
        Assert.Equal([new Underrun(Ms(180), TimeSpan.FromMilliseconds(80))], turns[0].Underruns);
        Assert.Equal(TimeSpan.FromMilliseconds(200), turns[0].Heard);
        Assert.Equal(3, _events.OfType<AudioStartedEvent>().Count());
    }

    [Fact]
    public void Same_tag_after_a_long_gap_is_one_turn_with_an_underrun()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(100), _events);
        _sim.EnqueueMark(Ms(0), "t5.f5", _events);
        _sim.AdvanceTo(Ms(900), _events);
        _sim.EnqueueAudio(Ms(900), Audio.Marker(100), _events);
        _sim.EnqueueMark(Ms(900), "t5.f10", _events);
        _sim.AdvanceTo(Ms(2000), _events);

        var turn = Assert.Single(AgentTurnBuilder.Build(_sim.Chunks, TimeSpan.FromMilliseconds(500)));
        Assert.Equal([new Underrun(Ms(900), TimeSpan.FromMilliseconds(800))], turn.Underruns);
    }

    [Fact]
    public void A_clear_ends_the_turn_and_records_the_interruption()
    {
        _sim.EnqueueAudio(Ms(0), Audio.Marker(500), _events);
        _sim.EnqueueMark(Ms(0), "t1.f25", _events);
        _sim.Clear(Ms(200), _events);
        _sim.EnqueueAudio(Ms(250), Audio.Marker(100), _events);
        _sim.EnqueueMark(Ms(250), "t2.f5", _events);
        _sim.AdvanceTo(Ms(1000), _events);

        var turns = AgentTurnBuilder.Build(_sim.Chunks, TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, turns.Count);
        Assert.True(turns[0].Interrupted);
        Assert.Equal(TimeSpan.FromMilliseconds(200), turns[0].Heard);
        Assert.Equal(TimeSpan.FromMilliseconds(300), turns[0].Dropped);
        Assert.False(turns[1].Interrupted);
    }

    [Fact]
    public void Tone_tags_name_the_turn_of_the_audio_that_starts_with_them()
    {
        var tone = Audio.Bursts(60, TurnTags.ToneFrequencyHz(7), (0, 60));
        _sim.EnqueueAudio(Ms(0), tone, _events);
        _sim.EnqueueAudio(Ms(0), Audio.Marker(40), _events); // continues the tagged reply
        _sim.AdvanceTo(Ms(500), _events);
        Assert.Equal([7, 7], _sim.Chunks.Select(c => c.ToneTag));
        Assert.Equal(7, Assert.Single(AgentTurnBuilder.Build(_sim.Chunks, TimeSpan.FromMilliseconds(500))).Tag);
    }
}
