namespace PhoneAgent.AudioCodec.Benchmarks;

/// <summary>One second (50 frames) of a speech-like multitone, cycled frame by frame so caches see real data.</summary>
internal static class FrameSignals
{
    public const int Frames = 50;

    public static short[] Pcm(int rate)
    {
        var random = new Random(42);
        var samples = new short[rate];
        var tones = Enumerable.Range(0, 24).Select(_ => (F: 150 + (random.NextDouble() * 3200), Phase: random.NextDouble() * 2 * Math.PI)).ToArray();
        for (var n = 0; n < samples.Length; n++)
        {
            var t = (double)n / rate;
            samples[n] = (short)(1200 * tones.Sum(tone => Math.Sin((2 * Math.PI * tone.F * t) + tone.Phase)) / Math.Sqrt(tones.Length));
        }

        return samples;
    }

    public static byte[] MuLaw8k()
    {
        var pcm = Pcm(8000);
        var codes = new byte[pcm.Length];
        MuLaw.Encode(pcm, codes);
        return codes;
    }
}
