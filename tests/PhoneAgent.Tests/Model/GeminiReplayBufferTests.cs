using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;

namespace PhoneAgent.Tests.Model;

/// <summary>The caller audio kept for replay after a resumed connection: what comes back, what is dropped, what it costs.</summary>
public sealed class GeminiReplayBufferTests
{
    private const int SampleRate = 16_000;

    /// <summary>A chunk whose every byte says which chunk it is and where in it, so a misplaced byte shows.</summary>
    private static byte[] Chunk(int number, int length) => [.. Enumerable.Range(0, length).Select(i => (byte)((number * 31) + i))];

    [Fact]
    public void Take_returns_the_newest_chunks_that_fit_in_order_with_their_bytes_and_markers()
    {
        var counters = new ModelSessionCounters();
        var buffer = new GeminiReplayBuffer(TimeSpan.FromMilliseconds(100), SampleRate, counters); // 3,200 bytes
        var sent = new List<(OutboundKind Kind, byte[] Pcm)>();
        for (var n = 0; n < 40; n++)
        {
            // Uneven sizes (20 ms, 40 ms, odd) so chunks straddle segment edges and the ring's wrap.
            var pcm = Chunk(n, n % 3 == 0 ? 640 : n % 3 == 1 ? 1280 : 333);
            buffer.Record(OutboundKind.Audio, pcm);
            sent.Add((OutboundKind.Audio, pcm));
            if (n % 7 == 6)
            {
                buffer.Record(OutboundKind.AudioStreamEnd, default);
                sent.Add((OutboundKind.AudioStreamEnd, []));
            }
        }

        var kept = buffer.Take();

        // The newest items whose audio adds up to at most 3,200 bytes.
        var expected = new List<(OutboundKind Kind, byte[] Pcm)>();
        var total = 0;
        for (var i = sent.Count - 1; i >= 0 && total + sent[i].Pcm.Length <= 3200; i--)
        {
            expected.Insert(0, sent[i]);
            total += sent[i].Pcm.Length;
        }

        Assert.Equal(expected.Select(e => e.Kind), kept.Select(k => k.Kind));
        Assert.All(expected.Zip(kept), p => Assert.Equal(p.First.Pcm, p.Second.Buffer is null ? [] : p.Second.Buffer.AsSpan(0, p.Second.Length).ToArray()));
        Assert.Equal(40 - expected.Count(e => e.Kind == OutboundKind.Audio), counters.ReplayAudioDroppedChunks);
        Assert.Equal(0, buffer.Bytes);
        foreach (var item in kept)
        {
            item.Release();
        }
    }

    [Fact]
    public void Clear_forgets_everything_and_the_ring_starts_over()
    {
        var buffer = new GeminiReplayBuffer(TimeSpan.FromMilliseconds(60), SampleRate, new ModelSessionCounters()); // 1,920 bytes
        buffer.Record(OutboundKind.Audio, Chunk(1, 1500));
        buffer.Clear();
        Assert.Equal(0, buffer.Bytes);
        buffer.Record(OutboundKind.Audio, Chunk(2, 1000));
        buffer.Record(OutboundKind.Audio, Chunk(3, 900));

        var kept = buffer.Take();

        Assert.Equal([Chunk(2, 1000), Chunk(3, 900)], kept.Select(k => k.Buffer!.AsSpan(0, k.Length).ToArray()));
    }

    [Fact]
    public void After_release_nothing_is_recorded_into_segments_that_now_serve_other_sessions()
    {
        var first = new GeminiReplayBuffer(TimeSpan.FromMilliseconds(100), SampleRate, new ModelSessionCounters());
        first.Record(OutboundKind.Audio, Chunk(1, 640));
        first.Release();
        var second = new GeminiReplayBuffer(TimeSpan.FromMilliseconds(100), SampleRate, new ModelSessionCounters());
        second.Record(OutboundKind.Audio, Chunk(2, 640));

        first.Record(OutboundKind.Audio, Chunk(3, 640)); // a late write from the ended session

        Assert.Equal(0, first.Bytes);
        Assert.Empty(first.Take());
        Assert.Equal(Chunk(2, 640), Assert.Single(second.Take()).Buffer!.AsSpan(0, 640).ToArray());
    }

    [Fact]
    public void A_chunk_longer_than_the_whole_buffer_drops_the_history_and_itself()
    {
        var counters = new ModelSessionCounters();
        var buffer = new GeminiReplayBuffer(TimeSpan.FromMilliseconds(20), SampleRate, counters); // 640 bytes
        buffer.Record(OutboundKind.Audio, Chunk(1, 320));
        buffer.Record(OutboundKind.Audio, Chunk(2, 641));

        Assert.Empty(buffer.Take());
        Assert.Equal(2, counters.ReplayAudioDroppedChunks);
    }

    [Fact]
    public void Recording_allocates_nothing_once_the_ring_has_grown()
    {
        var buffer = new GeminiReplayBuffer(GeminiReplayBuffer.DefaultCapacity, SampleRate, new ModelSessionCounters());
        var frame = Chunk(5, 1280); // 40 ms at 16 kHz, the bridge's usual chunk
        for (var i = 0; i < 500; i++)
        {
            buffer.Record(OutboundKind.Audio, frame); // 20 s of audio: the ring is full and has wrapped
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5000; i++)
        {
            buffer.Record(OutboundKind.Audio, frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(buffer.MaxBytes / 1280 * 1280, buffer.Bytes);
    }
}
