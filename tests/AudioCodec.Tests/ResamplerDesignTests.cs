using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.AudioCodec.Tests.Signals;

namespace PhoneAgent.AudioCodec.Tests;

/// <summary>
/// The designed coefficients (double precision, before any rounding), evaluated on a dense frequency grid at the
/// filter rate L × input rate.
/// </summary>
public sealed class ResamplerDesignTests
{
    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Passband_is_flat_within_0_1_dB_up_to_at_least_3400_Hz(int inputRate, int outputRate)
    {
        var design = ResamplerDesign.For(inputRate, outputRate);
        Assert.True(design.PassbandHz >= 3400, $"passband ends at {design.PassbandHz} Hz");

        double worst = 0;
        for (var f = 0.0; f <= design.PassbandHz; f += design.PassbandHz / 2000)
        {
            worst = Math.Max(worst, Math.Abs(Spectrum.Db(KaiserLowPass.Magnitude(design.Prototype, f, design.FilterRate))));
        }

        Assert.True(worst <= 0.1, $"{inputRate}→{outputRate}: passband deviation {worst:F4} dB");
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Stopband_is_at_least_90_dB_down_over_a_dense_grid(int inputRate, int outputRate)
    {
        var design = ResamplerDesign.For(inputRate, outputRate);
        if (inputRate == 8000 || outputRate == 8000)
        {
            // The telephone band: everything from 4.6 kHz up is stopband, so nothing folds below 3.4 kHz.
            Assert.Equal(4600, design.StopbandHz);
        }

        var nyquist = design.FilterRate / 2;
        var worst = double.NegativeInfinity;
        var worstAt = 0.0;
        // 1 Hz steps through the first 4 kHz of stopband (where a Kaiser design peaks), then 20,000 points to Nyquist.
        var grid = Enumerable.Range(0, 4000).Select(i => design.StopbandHz + i)
            .Concat(Enumerable.Range(0, 20001).Select(i => design.StopbandHz + ((nyquist - design.StopbandHz) * i / 20000)));
        foreach (var f in grid)
        {
            var db = Spectrum.Db(KaiserLowPass.Magnitude(design.Prototype, f, design.FilterRate));
            if (db > worst)
            {
                (worst, worstAt) = (db, f);
            }
        }

        Assert.True(worst <= -90, $"{inputRate}→{outputRate}: stopband peak {worst:F1} dB at {worstAt:F0} Hz ({design.Prototype.Length} taps)");
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Designed_delay_is_at_most_3_ms(int inputRate, int outputRate)
    {
        var design = ResamplerDesign.For(inputRate, outputRate);
        Assert.True(design.Delay <= TimeSpan.FromMilliseconds(3), $"{inputRate}→{outputRate}: {design.Delay.TotalMilliseconds:F3} ms");
    }

    [Fact]
    public void Unsupported_rates_are_refused_with_the_supported_list()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ResamplerDesign.For(12345, 8000));
        Assert.Contains("44100", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamingResampler.Create(8000, 44100));
    }
}
