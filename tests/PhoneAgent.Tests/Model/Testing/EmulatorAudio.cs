using System.Buffers.Binary;
using PhoneAgent.GeminiLiveEmulator;
using PhoneAgent.Model;

namespace PhoneAgent.Tests.Model.Testing;

public static class EmulatorAudio
{
    public static async Task<List<ModelAudioChunk>> DrainAudio(IRealtimeModelSession session)
    {
        var chunks = new List<ModelAudioChunk>();
        while (session.Audio.TryRead(out var chunk))
        {
            chunks.Add(chunk);
        }

        await Task.Yield();
        return chunks;
    }

    /// <summary>The test-mode turn tag of a reply's audio.</summary>
    public static int? TurnTag(IReadOnlyList<ModelAudioChunk> chunks)
    {
        var pcm = chunks.SelectMany(c => c.Pcm.ToArray()).ToArray();
        var samples = new short[pcm.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2));
        }

        return EmulatorTurnTag.Detect(samples, 24_000);
    }
}
