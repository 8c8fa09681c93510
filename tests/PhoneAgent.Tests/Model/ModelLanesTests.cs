using System.Buffers.Binary;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>The bounded buffers: caller audio by duration (oldest dropped, counted), control first; model audio by duration.</summary>
public sealed class ModelLanesTests
{
    [Fact]
    public void Caller_audio_keeps_the_newest_two_seconds_and_control_goes_first()
    {
        var counters = new ModelSessionCounters();
        var queue = new GeminiOutboundQueue(TimeSpan.FromSeconds(2), 16_000, counters);
        for (var i = 0; i < 120; i++)
        {
            queue.EnqueueAudio(SessionTestExtensions.NumberedChunk(i, 1600)); // 50 ms each: 6 s
        }

        queue.EnqueueAudioStreamEnd();
        queue.EnqueueControl(OutboundKind.Text, "hello");

        Assert.True(queue.TryDequeue(out var first));
        Assert.Equal(OutboundKind.Text, first.Kind);
        var numbers = new List<int>();
        while (queue.TryDequeue(out var item))
        {
            if (item.Kind == OutboundKind.Audio)
            {
                numbers.Add(BinaryPrimitives.ReadInt32LittleEndian(item.Buffer));
            }
            else
            {
                Assert.Equal(OutboundKind.AudioStreamEnd, item.Kind);
                Assert.Equal(119, numbers[^1]); // the marker follows the audio it ends
            }

            item.Release();
        }

        Assert.Equal(Enumerable.Range(80, 40), numbers);
        Assert.Equal(80, counters.InputAudioDroppedChunks);
        Assert.Equal(80 * 1600, counters.InputAudioDroppedBytes);
    }

    [Fact]
    public void Model_audio_is_bounded_by_duration_and_an_interrupted_turn_is_swept()
    {
        var counters = new ModelSessionCounters();
        var lane = new ModelAudioLane(TimeSpan.FromSeconds(1), counters);
        for (var i = 0; i < 6; i++)
        {
            lane.Write(Chunk(turn: 1, sequence: i, milliseconds: 240));
        }

        Assert.Equal(4, lane.Count);
        Assert.Equal(2, counters.OutputAudioDroppedChunks);
        Assert.Equal(TimeSpan.FromMilliseconds(960), lane.Queued);
        Assert.True(lane.TryRead(out var oldest));
        Assert.Equal(2, oldest.Sequence);
        oldest.Dispose();

        lane.Write(Chunk(turn: 1, sequence: 6, milliseconds: 100));
        Assert.Equal(4, lane.DiscardTurn(1));
        Assert.Equal(0, lane.Count);
        Assert.Equal(TimeSpan.Zero, lane.Queued);
        Assert.Equal(4, counters.InterruptedAudioDiscardedChunks);
    }

    [Fact]
    public void A_chunk_is_returned_to_the_pool_once()
    {
        var chunk = Chunk(1, 0, 20);
        Assert.Equal(960, chunk.Pcm.Length);
        chunk.Dispose();
        chunk.Dispose();
        Assert.Throws<ObjectDisposedException>(() => chunk.Pcm);
    }

    [Fact]
    public void The_conversation_log_renders_turns_and_stays_bounded()
    {
        var log = new GeminiConversationLog(maxCharacters: 100);
        log.Append(ModelRole.User, " Hi,");
        log.Append(ModelRole.User, " it's Sam.");
        log.Append(ModelRole.Model, "Hello Sam.");
        log.Break(ModelRole.Model);
        log.Append(ModelRole.Model, "How can I help?");

        Assert.Equal("Caller: Hi, it's Sam.\nAgent: Hello Sam.\nAgent: How can I help?", log.Render());
        for (var i = 0; i < 50; i++)
        {
            log.Append(i % 2 == 0 ? ModelRole.User : ModelRole.Model, new string('x', 20));
        }

        var rendered = log.Render();
        Assert.InRange(rendered.Length, 100, 400); // at most twice the seed's size in text, plus the role labels
        Assert.DoesNotContain("Sam", rendered, StringComparison.Ordinal); // oldest turns went first
    }

    private static ModelAudioChunk Chunk(long turn, long sequence, int milliseconds)
    {
        var bytes = 24 * 2 * milliseconds;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(bytes);
        return new ModelAudioChunk(buffer, bytes, 24_000, turn, sequence);
    }
}
