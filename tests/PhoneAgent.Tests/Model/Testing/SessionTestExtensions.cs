using System.Buffers.Binary;
using System.Text.Json.Nodes;
using PhoneAgent.Model;

namespace PhoneAgent.Tests.Model.Testing;

public static class SessionTestExtensions
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>Reads events until one of type <typeparamref name="T"/> (others are collected in <paramref name="skipped"/>).</summary>
    public static async Task<T> NextAsync<T>(this IRealtimeModelSession session, List<ModelEvent>? skipped = null, TimeSpan? timeout = null)
        where T : ModelEvent
    {
        using var cts = new CancellationTokenSource(timeout ?? Patience);
        while (true)
        {
            ModelEvent next;
            try
            {
                next = await session.Events.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} within {timeout ?? Patience}; skipped: {string.Join(", ", skipped ?? [])}");
            }

            if (next is T match)
            {
                return match;
            }

            skipped?.Add(next);
        }
    }

    /// <summary>Reads <paramref name="count"/> audio chunks.</summary>
    public static async Task<List<ModelAudioChunk>> ReadAudioAsync(this IRealtimeModelSession session, int count)
    {
        using var cts = new CancellationTokenSource(Patience);
        var chunks = new List<ModelAudioChunk>();
        while (chunks.Count < count)
        {
            chunks.Add(await session.Audio.ReadAsync(cts.Token));
        }

        return chunks;
    }

    /// <summary>20 ms of 16 kHz PCM whose first four bytes carry <paramref name="number"/>.</summary>
    public static byte[] NumberedChunk(int number, int bytes = 640)
    {
        var pcm = new byte[bytes];
        BinaryPrimitives.WriteInt32LittleEndian(pcm, number);
        return pcm;
    }

    /// <summary>The number in a client audio message written from <see cref="NumberedChunk"/>, or null for other messages.</summary>
    public static int? ChunkNumber(JsonNode message) =>
        message["realtimeInput"]?["audio"]?["data"]?.GetValue<string>() is { } data
            ? BinaryPrimitives.ReadInt32LittleEndian(Convert.FromBase64String(data))
            : null;

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? Patience);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(10);
        }
    }
}
