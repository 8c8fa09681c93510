namespace PhoneAgent.AudioCodec.Tests.Signals;

/// <summary>Test signals: coherent tones and noise.</summary>
internal static class Tone
{
    /// <summary>A sine of <paramref name="amplitude"/> (1.0 = full scale of the float domain used).</summary>
    public static float[] Sine(double frequencyHz, int rateHz, double seconds, double amplitude)
    {
        var samples = new float[(int)Math.Round(seconds * rateHz)];
        for (var n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequencyHz * n / rateHz));
        }

        return samples;
    }

    /// <summary>A 16-bit sine at <paramref name="dbfs"/> relative to 16-bit full scale, rounded to nearest.</summary>
    public static short[] Sine16(double frequencyHz, int rateHz, double seconds, double dbfs)
    {
        var amplitude = 32767 * Math.Pow(10, dbfs / 20);
        var samples = new short[(int)Math.Round(seconds * rateHz)];
        for (var n = 0; n < samples.Length; n++)
        {
            samples[n] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequencyHz * n / rateHz));
        }

        return samples;
    }

    public static short[] Noise16(int count, int seed)
    {
        var random = new Random(seed);
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (short)random.Next(-20000, 20000);
        }

        return samples;
    }
}
