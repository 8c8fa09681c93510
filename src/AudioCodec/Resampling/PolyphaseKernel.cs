using System.Collections.Concurrent;

namespace PhoneAgent.AudioCodec.Resampling;

/// <summary>
/// A design split into its L polyphase sub-filters, in float, ready for the streaming loop. Immutable and shared
/// by every resampler of the same rate pair.
/// </summary>
/// <remarks>
/// Output j sits at time t = j·M on the L·fs grid. With base = ⌊t/L⌋ and phase p = t mod L,
/// y[j] = L · Σₘ h[p + m·L] · x[base − m]. Each phase's coefficients are stored reversed so the sum is a dot
/// product over a contiguous window of input ending at x[base − trailing], zero-padded at the front to a
/// multiple of <see cref="VectorMath.Width"/> so every output uses one summation order, without vector tails.
/// Leading and trailing zero taps are trimmed per phase (a half-band's second phase becomes a single tap).
/// Stepping from one output to the next uses tables, not a division per sample.
/// </remarks>
internal sealed class PolyphaseKernel
{
    private static readonly ConcurrentDictionary<(int, int), PolyphaseKernel> Cache = new();

    private PolyphaseKernel(ResamplerDesign design)
    {
        Design = design;
        int l = design.Interpolation, m = design.Decimation;
        var h = design.Prototype;
        var tapsPerPhase = (h.Length + l - 1) / l;

        Offsets = new int[l];
        Lengths = new int[l];
        Trailing = new int[l];
        Used = new int[l];
        NextPhase = new int[l];
        InputAdvance = new int[l];
        var phases = new List<float[]>(l);
        var history = 0;
        for (var p = 0; p < l; p++)
        {
            // taps[m] multiplies x[base − m]
            var taps = new double[tapsPerPhase];
            for (var k = 0; k < tapsPerPhase; k++)
            {
                var index = p + (k * l);
                taps[k] = index < h.Length ? h[index] * l : 0;
            }

            var first = Array.FindIndex(taps, t => t != 0);
            var last = Array.FindLastIndex(taps, t => t != 0);
            if (first < 0)
            {
                first = last = 0;
            }

            var used = last - first + 1;
            if (used == 1)
            {
                // A pure delay (a half-band's second phase): one multiply, no dot product.
                Trailing[p] = first;
                Lengths[p] = 0;
                Used[p] = 1;
                phases.Add([(float)taps[first]]);
                history = Math.Max(history, first);
                NextPhase[p] = (p + m) % l;
                InputAdvance[p] = (p + m) / l;
                continue;
            }

            var padded = (used + VectorMath.Width - 1) / VectorMath.Width * VectorMath.Width;
            var reversed = new float[padded]; // reversed[padded − 1 − i] multiplies x[base − first − i]
            for (var i = 0; i < used; i++)
            {
                reversed[padded - 1 - i] = (float)taps[first + i];
            }

            Trailing[p] = first;
            Lengths[p] = padded;
            Used[p] = used;
            phases.Add(reversed);
            history = Math.Max(history, first + padded - 1);

            NextPhase[p] = (p + m) % l;
            InputAdvance[p] = (p + m) / l;
        }

        if (l == 1 && Lengths[0] > 0)
        {
            // Pure decimation by M: split the taps by input phase s (tap r = M·i + s, front-padded to M·Q) so each
            // output group can run as M unit-stride FIRs over de-interleaved input (see StreamingResampler).
            var reversed = phases[0];
            var used = Used[0];
            var q = (used + m - 1) / m;
            DecimationTaps = q;
            DecimationCoefficients = new float[m * q];
            var skip = reversed.Length - used;
            for (var r = 0; r < m * q; r++)
            {
                var from = r - ((m * q) - used) + skip; // index into the padded, reversed coefficients
                var value = from >= skip && from < reversed.Length ? reversed[from] : 0f;
                DecimationCoefficients[((r % m) * q) + (r / m)] = value;
            }

            history = Math.Max(history, Trailing[0] + (m * q) - 1);
        }

        History = history;
        Coefficients = new float[phases.Sum(c => c.Length)];
        var offset = 0;
        for (var p = 0; p < l; p++)
        {
            Offsets[p] = offset;
            phases[p].CopyTo(Coefficients, offset);
            offset += phases[p].Length;
        }
    }

    public ResamplerDesign Design { get; }

    public int Interpolation => Design.Interpolation;

    public int Decimation => Design.Decimation;

    /// <summary>All phases' reversed, front-padded coefficients, back to back.</summary>
    public float[] Coefficients { get; }

    public int[] Offsets { get; }

    /// <summary>Padded length of each phase (a multiple of <see cref="VectorMath.Width"/>), or 0 for a single tap.</summary>
    public int[] Lengths { get; }

    /// <summary>Taps of each phase between its first and last non-zero one (the unpadded tail of its coefficients).</summary>
    public int[] Used { get; }

    /// <summary>How many of the newest samples a phase skips (its trimmed trailing zero taps).</summary>
    public int[] Trailing { get; }

    public int[] NextPhase { get; }

    public int[] InputAdvance { get; }

    /// <summary>For pure decimation: taps per input phase (Q), and the coefficients laid out as [s·Q + i].</summary>
    public int DecimationTaps { get; }

    public float[] DecimationCoefficients { get; } = [];

    /// <summary>Samples of past input every output may reach back to.</summary>
    public int History { get; }

    public static PolyphaseKernel For(int inputRate, int outputRate) =>
        Cache.GetOrAdd((inputRate, outputRate), static key => new PolyphaseKernel(ResamplerDesign.For(key.Item1, key.Item2)));
}
