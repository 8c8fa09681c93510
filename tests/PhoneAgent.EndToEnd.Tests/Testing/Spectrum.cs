namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>Tone levels by a Blackman-Harris-windowed single-bin DFT (Goertzel), in dB re full-scale sine.</summary>
public static class Spectrum
{
    public static double LevelDb(ReadOnlySpan<short> samples, double frequency, int rate)
    {
        var n = samples.Length;
        double re = 0, im = 0, windowSum = 0;
        for (var i = 0; i < n; i++)
        {
            var w = 0.35875 - (0.48829 * Math.Cos(2 * Math.PI * i / (n - 1))) + (0.14128 * Math.Cos(4 * Math.PI * i / (n - 1))) - (0.01168 * Math.Cos(6 * Math.PI * i / (n - 1)));
            windowSum += w;
            var phase = 2 * Math.PI * frequency * i / rate;
            re += w * samples[i] * Math.Cos(phase);
            im -= w * samples[i] * Math.Sin(phase);
        }

        var amplitude = 2 * Math.Sqrt((re * re) + (im * im)) / windowSum;
        return 20 * Math.Log10((amplitude / 32767) + 1e-12);
    }
}
