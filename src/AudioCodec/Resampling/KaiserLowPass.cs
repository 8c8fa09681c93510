namespace PhoneAgent.AudioCodec.Resampling;

/// <summary>Kaiser-windowed sinc low-pass design (Kaiser 1974; Oppenheim &amp; Schafer), in double precision.</summary>
internal static class KaiserLowPass
{
    /// <summary>Kaiser's estimate of the taps needed, rounded up to an odd count so the centre is a tap.</summary>
    public static int EstimateTaps(double attenuationDb, double transitionHz, double rateHz)
    {
        var transition = 2 * Math.PI * transitionHz / rateHz;
        var taps = (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * transition)) + 1;
        return taps | 1;
    }

    /// <summary>Kaiser's β for a stopband attenuation in dB.</summary>
    public static double Beta(double attenuationDb) => attenuationDb switch
    {
        > 50 => 0.1102 * (attenuationDb - 8.7),
        >= 21 => (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21)),
        _ => 0,
    };

    /// <summary>A linear-phase low-pass of odd length with unit DC gain.</summary>
    /// <param name="taps">Odd number of taps.</param>
    /// <param name="cutoffHz">The −6 dB point, halfway through the transition band.</param>
    /// <param name="rateHz">The rate the filter runs at.</param>
    /// <param name="beta">Kaiser window shape.</param>
    public static double[] Design(int taps, double cutoffHz, double rateHz, double beta)
    {
        if (taps < 1 || taps % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(taps), taps, "The tap count must be odd and positive.");
        }

        var h = new double[taps];
        var centre = (taps - 1) / 2;
        var normalizedCutoff = 2 * cutoffHz / rateHz; // sinc argument scale: 1.0 is the Nyquist frequency
        var windowNorm = BesselI0(beta);
        double sum = 0;
        for (var i = 0; i < taps; i++)
        {
            var offset = i - centre;
            var x = normalizedCutoff * offset;
            // At the sinc's zero crossings the product is exactly zero (a half-band filter gets its zero taps).
            double sinc;
            if (offset == 0)
            {
                sinc = 1;
            }
            else if (x == Math.Round(x))
            {
                sinc = 0;
            }
            else
            {
                sinc = Math.Sin(Math.PI * x) / (Math.PI * x);
            }

            var ratio = (double)offset / centre;
            var window = centre == 0 ? 1 : BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / windowNorm;
            h[i] = normalizedCutoff * sinc * window;
            sum += h[i];
        }

        for (var i = 0; i < taps; i++)
        {
            h[i] /= sum;
        }

        return h;
    }

    /// <summary>Amplitude response |H(f)| of a symmetric odd-length filter, by the cosine series about its centre.</summary>
    public static double Magnitude(ReadOnlySpan<double> h, double frequencyHz, double rateHz)
    {
        var centre = (h.Length - 1) / 2;
        var omega = 2 * Math.PI * frequencyHz / rateHz;
        var twoCos = 2 * Math.Cos(omega);
        // cos(kω) by the Chebyshev recurrence: one cosine per frequency instead of one per tap.
        double previous = 1, current = Math.Cos(omega);
        var sum = h[centre];
        for (var k = 1; k <= centre; k++)
        {
            sum += (h[centre - k] + h[centre + k]) * current;
            var next = (twoCos * current) - previous;
            previous = current;
            current = next;
        }

        return Math.Abs(sum);
    }

    private static double BesselI0(double x)
    {
        // Power series; converges fast for the β values used here (< 15).
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= half / k;
            var squared = term * term;
            sum += squared;
            if (squared < sum * 1e-18)
            {
                break;
            }
        }

        return sum;
    }
}
