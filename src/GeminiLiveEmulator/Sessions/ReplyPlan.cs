using System.Collections.Concurrent;
using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// One spoken reply cut into the chunks the service would send: sizes from the back end's recordings, each chunk due
/// at (its audio offset ÷ speed-up) after the first, so audio goes out faster than real time, and each output
/// transcription delta (1–3 words) attached to the chunk that holds the audio where those words begin.
/// </summary>
internal sealed record ReplyPlan(string Text, string Source, byte[] Pcm, IReadOnlyList<PlannedChunk> Chunks)
{
    // Plans of clips played as they are: a scenario has a few replies, each played by every session that reaches it.
    private const int MaxShared = 32;
    private static readonly int[] WordsPerDelta = [2, 3, 1, 2];
    private static readonly ConcurrentDictionary<(SpeechClip Clip, WireFlavor Flavor, double Speedup), ReplyPlan> Shared = new();

    public TimeSpan Duration => TimeSpan.FromSeconds(Pcm.Length / 2.0 / SpeechClip.SampleRate);

    /// <summary>
    /// The plan for <paramref name="clip"/>'s own samples: the same for every session (a plan is never changed), so it
    /// is made once instead of converting the whole clip to bytes for each reply.
    /// </summary>
    public static ReplyPlan For(SpeechClip clip, WireFlavor flavor, double speedup)
    {
        var key = (clip, flavor, speedup);
        if (Shared.TryGetValue(key, out var plan))
        {
            return plan;
        }

        plan = Create(clip, clip.Samples, flavor, speedup);
        if (Shared.Count < MaxShared)
        {
            Shared.TryAdd(key, plan);
        }

        return plan;
    }

    public static ReplyPlan Create(SpeechClip clip, short[] samples, WireFlavor flavor, double speedup)
    {
        var pcm = Audio.Pcm.ToBytes(samples);
        var chunks = new List<(int Offset, int Length)>();
        for (int offset = 0, i = 0; offset < pcm.Length; i++)
        {
            var length = Math.Min(flavor.ChunkBytes[i % flavor.ChunkBytes.Count], pcm.Length - offset);
            chunks.Add((offset, length));
            offset += length;
        }

        var deltas = TranscriptDeltas(clip.Text);
        var assigned = new List<string>[chunks.Count];
        for (var c = 0; c < chunks.Count; c++)
        {
            assigned[c] = [];
        }

        foreach (var (fraction, delta) in deltas)
        {
            var position = (int)(fraction * pcm.Length);
            var index = chunks.FindIndex(c => c.Offset + c.Length > position);
            assigned[index < 0 ? chunks.Count - 1 : index].Add(delta);
        }

        var planned = chunks.Select((c, i) => new PlannedChunk(
            c.Offset,
            c.Length,
            TimeSpan.FromSeconds(c.Offset / 2.0 / SpeechClip.SampleRate / speedup),
            assigned[i])).ToList();
        return new ReplyPlan(clip.Text, clip.Source, pcm, planned);
    }

    /// <summary>"It is cloudy and 14 degrees." → ("It is", 0), (" cloudy and 14", 0.21), (" degrees.", 0.79): where each starts.</summary>
    internal static List<(double Fraction, string Text)> TranscriptDeltas(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var deltas = new List<(double, string)>();
        var characters = Math.Max(1, words.Sum(w => w.Length + 1) - 1);
        var consumed = 0;
        for (int w = 0, group = 0; w < words.Length; group++)
        {
            var take = Math.Min(WordsPerDelta[group % WordsPerDelta.Length], words.Length - w);
            var piece = string.Join(' ', words, w, take);
            deltas.Add(((double)consumed / characters, w == 0 ? piece : " " + piece));
            consumed += piece.Length + 1;
            w += take;
        }

        return deltas;
    }
}

/// <summary>A chunk: its bytes in the reply's PCM, when it is due, and the transcription deltas that go with it.</summary>
internal sealed record PlannedChunk(int Offset, int Length, TimeSpan SendAt, IReadOnlyList<string> Transcript);
