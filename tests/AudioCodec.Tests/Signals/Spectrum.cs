namespace PhoneAgent.AudioCodec.Tests.Signals;

/// <summary>
/// Single-bin DFT measurements with a rectangular window over a whole number of tone periods (coherent
/// sampling), so the tone sits on one bin with no leakage and needs no window correction.
/// </summary>
internal static class Spectrum
{
    /// <summary>Amplitude and phase (radians, sine reference) of <paramref name="frequencyHz"/> over the window.</summary>
    public static (double Amplitude, double Phase) Measure(ReadOnlySpan<double> window, double frequencyHz, int rateHz)
    {
        double re = 0, im = 0;
        for (var n = 0; n < window.Length; n++)
        {
            var (sin, cos) = Math.SinCos(2 * Math.PI * frequencyHz * n / rateHz);
            re += window[n] * sin;
            im += window[n] * cos;
        }

        // x[n] = A·sin(ωn + φ) = A·cos φ·sin ωn + A·sin φ·cos ωn
        var a = 2 * re / window.Length;
        var b = 2 * im / window.Length;
        return (Math.Sqrt((a * a) + (b * b)), Math.Atan2(b, a));
    }

    /// <summary>
    /// Everything that is not the tone (aliases, images, distortion, noise), relative to the tone, in dB: the tone
    /// is fitted on its bin and subtracted in the time domain, and the residual power is compared with it.
    /// </summary>
    public static double ResidualDb(ReadOnlySpan<double> window, double frequencyHz, int rateHz)
    {
        var (amplitude, phase) = Measure(window, frequencyHz, rateHz);
        double residual = 0;
        for (var n = 0; n < window.Length; n++)
        {
            var r = window[n] - (amplitude * Math.Sin((2 * Math.PI * frequencyHz * n / rateHz) + phase));
            residual += r * r;
        }

        residual /= window.Length;
        return 10 * Math.Log10(residual / (amplitude * amplitude / 2));
    }

    /// <summary>Mean power of the window relative to a sine of amplitude <paramref name="reference"/>, in dB.</summary>
    public static double PowerDb(ReadOnlySpan<double> window, double reference)
    {
        double power = 0;
        foreach (var x in window)
        {
            power += x * x;
        }

        power /= window.Length;
        return 10 * Math.Log10(Math.Max(power, 1e-30) / (reference * reference / 2));
    }

    public static double Db(double ratio) => 20 * Math.Log10(ratio);
}
