namespace PhoneAgent.AudioCodec.Resampling;

/// <summary>
/// The filter specification for one rate pair: passband, stopband and attenuation, and the prototype low-pass
/// they produce at the intermediate rate <c>L × input rate</c>.
/// </summary>
/// <remarks>
/// Where either side is 8 kHz the band is the telephone band: flat to 3.4 kHz and at least
/// <see cref="AttenuationDb"/> down from 4.6 kHz (= 8 kHz − 3.4 kHz, so nothing folds into the passband).
/// Wider pairs keep 1 kHz either side of the lower Nyquist frequency. The transition width bounds the delay:
/// about 3.2 ms·kHz / width for 100 dB, so 1.2 kHz gives 2.7 ms and 2 kHz gives 1.6 ms.
/// </remarks>
public sealed class ResamplerDesign
{
    /// <summary>Designed stopband attenuation; tests hold the response to at least 90 dB.</summary>
    public const double AttenuationDb = 100;

    /// <summary>Input rates the general resampler accepts.</summary>
    public static IReadOnlyList<int> InputRates { get; } = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000];

    /// <summary>Output rates the general resampler produces.</summary>
    public static IReadOnlyList<int> OutputRates { get; } = [8000, 16000, 24000];

    private ResamplerDesign(int inputRate, int outputRate)
    {
        InputRate = inputRate;
        OutputRate = outputRate;
        var divisor = Gcd(inputRate, outputRate);
        Interpolation = outputRate / divisor;
        Decimation = inputRate / divisor;

        var nyquist = Math.Min(inputRate, outputRate) / 2.0;
        (PassbandHz, StopbandHz) = nyquist <= 4000 ? (3400.0, 4600.0) : (nyquist - 1000, nyquist + 1000);
        FilterRate = (double)inputRate * Interpolation;
        if (Interpolation == 1 && Decimation == 1)
        {
            Prototype = [1.0];
            return;
        }

        var taps = KaiserLowPass.EstimateTaps(AttenuationDb, StopbandHz - PassbandHz, FilterRate);
        Prototype = KaiserLowPass.Design(taps, (PassbandHz + StopbandHz) / 2, FilterRate, KaiserLowPass.Beta(AttenuationDb));
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>L: the up-sampling factor of the reduced ratio.</summary>
    public int Interpolation { get; }

    /// <summary>M: the down-sampling factor of the reduced ratio.</summary>
    public int Decimation { get; }

    public double PassbandHz { get; }

    public double StopbandHz { get; }

    /// <summary>The rate the prototype runs at: L × input rate.</summary>
    public double FilterRate { get; }

    /// <summary>The prototype low-pass at <see cref="FilterRate"/>, odd length, unit DC gain.</summary>
    public double[] Prototype { get; }

    /// <summary>The filter's group delay (linear phase): half its length at the filter rate.</summary>
    public TimeSpan Delay => TimeSpan.FromSeconds((Prototype.Length - 1) / 2 / FilterRate);

    /// <summary>The design for a rate pair; throws for rates outside <see cref="InputRates"/> → <see cref="OutputRates"/>.</summary>
    public static ResamplerDesign For(int inputRate, int outputRate)
    {
        if (!InputRates.Contains(inputRate))
        {
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, $"Supported input rates: {string.Join(", ", InputRates)} Hz.");
        }

        if (!OutputRates.Contains(outputRate))
        {
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, $"Supported output rates: {string.Join(", ", OutputRates)} Hz.");
        }

        return new ResamplerDesign(inputRate, outputRate);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
