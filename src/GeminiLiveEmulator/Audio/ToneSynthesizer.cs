namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>Pure tones with short raised-cosine edges (no clicks), for test-mode turn tags.</summary>
internal static class ToneSynthesizer
{
    public static short[] Tone(double frequencyHz, int sampleCount, int sampleRate = SpeechClip.SampleRate, double amplitude = 0.25)
    {
        var samples = new short[sampleCount];
        var ramp = Math.Min(sampleRate / 200, sampleCount / 2); // 5 ms
        for (var i = 0; i < sampleCount; i++)
        {
            var gain = i < ramp ? 0.5 - (0.5 * Math.Cos(Math.PI * i / ramp))
                : i >= sampleCount - ramp ? 0.5 - (0.5 * Math.Cos(Math.PI * (sampleCount - 1 - i) / ramp))
                : 1.0;
            samples[i] = (short)Math.Round(amplitude * gain * short.MaxValue * Math.Sin(2 * Math.PI * frequencyHz * i / sampleRate));
        }

        return samples;
    }
}
