using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.AudioCodec.Tests.Signals;

namespace PhoneAgent.AudioCodec.Tests;

/// <summary>
/// Measured through the streaming resampler. Method: sine tones at integer-even frequencies, 0.6 s long; the
/// first 0.1 s of output is discarded (the filters settle in under 3 ms); the analysis window is the next 0.5 s
/// of output, a rectangular window holding a whole number of periods (coherent, 2 Hz bins), analysed by a
/// single-bin DFT for the tone and by time-domain subtraction of the fitted tone for everything else.
/// Float API: tones at −6 dBFS (amplitude 0.5), asserted to 90 dB before any rounding.
/// 16-bit API: tones at −1 dBFS, fed in 20 ms frames, asserted to 80 dB (int16 rounding sits near −98 dB).
/// </summary>
public sealed class ResamplerQualityTests
{
    private const double Seconds = 0.6;
    private const double Settle = 0.1;
    private const double Window = 0.5;

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Passband_gain_is_within_0_1_dB_from_300_Hz_to_the_passband_edge(int inputRate, int outputRate)
    {
        var design = ResamplerDesign.For(inputRate, outputRate);
        var gains = new List<(double F, double Db)>();
        foreach (var f in PassbandTones(design))
        {
            var output = ResamplerPaths.Run(inputRate, outputRate, Tone.Sine(f, inputRate, Seconds, 0.5));
            var (amplitude, _) = Spectrum.Measure(AnalysisWindow(output, outputRate), f, outputRate);
            gains.Add((f, Spectrum.Db(amplitude / 0.5)));
        }

        var worst = gains.MaxBy(g => Math.Abs(g.Db));
        Assert.True(Math.Abs(worst.Db) <= 0.1, $"{inputRate}→{outputRate}: {worst.Db:F4} dB at {worst.F} Hz");
        Assert.True(gains.Max(g => g.Db) - gains.Min(g => g.Db) <= 0.1, "peak-to-peak ripple above 0.1 dB");
        Assert.True(Math.Abs(gains.Single(g => g.F == 3400).Db) <= 0.1, "gain at 3.4 kHz");
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Passband_tones_come_out_with_everything_else_90_dB_down(int inputRate, int outputRate)
    {
        // Covers images after interpolation (e.g. 8 kHz − f at 16 kHz) and any alias or distortion product.
        var design = ResamplerDesign.For(inputRate, outputRate);
        foreach (var f in PassbandTones(design).Where(f => f <= 3400))
        {
            var output = ResamplerPaths.Run(inputRate, outputRate, Tone.Sine(f, inputRate, Seconds, 0.5));
            var residual = Spectrum.ResidualDb(AnalysisWindow(output, outputRate), f, outputRate);
            Assert.True(residual <= -90, $"{inputRate}→{outputRate}: {f} Hz leaves {residual:F1} dB of images/aliases");
        }
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Stopband_tones_are_at_least_90_dB_down_after_decimation(int inputRate, int outputRate)
    {
        var design = ResamplerDesign.For(inputRate, outputRate);
        foreach (var f in StopbandTones(design))
        {
            var output = ResamplerPaths.Run(inputRate, outputRate, Tone.Sine(f, inputRate, Seconds, 0.5));
            // Total output power: the tone's alias wherever it folds to, plus anything else.
            var level = Spectrum.PowerDb(AnalysisWindow(output, outputRate), 0.5);
            Assert.True(level <= -90, $"{inputRate}→{outputRate}: a {f} Hz tone comes out at {level:F1} dB");
        }
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Int16_api_keeps_80_dB_with_minus_1_dBFS_tones(int inputRate, int outputRate)
    {
        var design = ResamplerDesign.For(inputRate, outputRate);
        var amplitude = 32767 * Math.Pow(10, -1 / 20.0);
        foreach (var f in new[] { 300, 1000, 2200, 3400 })
        {
            var output = ResamplerPaths.Run16(inputRate, outputRate, Tone.Sine16(f, inputRate, Seconds, -1));
            var window = AnalysisWindow(output, outputRate);
            Assert.True(Math.Abs(Spectrum.Db(Spectrum.Measure(window, f, outputRate).Amplitude / amplitude)) <= 0.1, $"gain at {f} Hz");
            var residual = Spectrum.ResidualDb(window, f, outputRate);
            Assert.True(residual <= -80, $"{inputRate}→{outputRate}: {f} Hz leaves {residual:F1} dB");
        }

        foreach (var f in StopbandTones(design).Where((_, i) => i % 5 == 0))
        {
            var output = ResamplerPaths.Run16(inputRate, outputRate, Tone.Sine16(f, inputRate, Seconds, -1));
            var level = Spectrum.PowerDb(AnalysisWindow(output, outputRate), amplitude);
            Assert.True(level <= -80, $"{inputRate}→{outputRate}: a {f} Hz tone comes out at {level:F1} dB");
        }
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Measured_delay_is_the_design_delay_and_at_most_3_ms(int inputRate, int outputRate)
    {
        // Group delay from the phase difference of 1000 Hz and 1100 Hz tones (unambiguous below 10 ms):
        // y(t) = A·sin(2πf(t − τ)) measured from t = Settle gives phase −2πf(τ − Settle) modulo 2π.
        double PhaseAt(int f)
        {
            var output = ResamplerPaths.Run(inputRate, outputRate, Tone.Sine(f, inputRate, Seconds, 0.5));
            return Spectrum.Measure(AnalysisWindow(output, outputRate), f, outputRate).Phase;
        }

        var difference = PhaseAt(1100) - PhaseAt(1000);
        // Settle (0.1 s) is a whole number of periods of 100 Hz, so it drops out of the difference.
        var delay = -difference / (2 * Math.PI * 100);
        delay = ((delay % 0.01) + 0.01) % 0.01;

        var designed = ResamplerDesign.For(inputRate, outputRate).Delay.TotalSeconds;
        Assert.True(delay <= 0.003, $"{inputRate}→{outputRate}: measured delay {delay * 1000:F3} ms");
        Assert.True(Math.Abs(delay - designed) < 20e-6, $"measured {delay * 1000:F3} ms, designed {designed * 1000:F3} ms");
    }

    private static IEnumerable<int> PassbandTones(ResamplerDesign design) =>
        Enumerable.Range(3, (int)(design.PassbandHz / 100) - 2).Select(i => i * 100).Append(3400).Distinct().Order();

    /// <summary>Inputs from the stopband edge to just below the input's Nyquist frequency; only decimating paths have any.</summary>
    private static IEnumerable<int> StopbandTones(ResamplerDesign design)
    {
        for (var f = (int)Math.Ceiling(design.StopbandHz / 100) * 100; f < (design.InputRate / 2) - 40; f += 100)
        {
            if (design.InputRate > design.OutputRate)
            {
                yield return f;
            }
        }
    }

    private static double[] AnalysisWindow(double[] output, int rate) =>
        output.AsSpan((int)(Settle * rate), (int)(Window * rate)).ToArray();
}
