using PhoneAgent.AudioCodec.Resampling;

namespace PhoneAgent.AudioCodec.Tests.Signals;

/// <summary>Every rate pair the library offers, for data-driven tests.</summary>
public static class ResamplerPaths
{
    /// <summary>The per-call paths whose 20 ms frames must map one to one.</summary>
    public static TheoryData<int, int> Fixed => new() { { 8000, 16000 }, { 24000, 8000 }, { 16000, 8000 }, { 24000, 16000 } };

    /// <summary>Every input rate to every output rate, except the identity.</summary>
    public static TheoryData<int, int> All
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (var input in ResamplerDesign.InputRates)
            {
                foreach (var output in ResamplerDesign.OutputRates)
                {
                    if (input != output)
                    {
                        data.Add(input, output);
                    }
                }
            }

            return data;
        }
    }

    /// <summary>Runs <paramref name="input"/> through a fresh resampler in one call (float API, no rounding).</summary>
    public static double[] Run(int inputRate, int outputRate, float[] input)
    {
        var resampler = StreamingResampler.Create(inputRate, outputRate);
        var output = new float[resampler.GetOutputLength(input.Length)];
        var written = resampler.Process(input, output);
        return [.. output.AsSpan(0, written).ToArray().Select(x => (double)x)];
    }

    /// <summary>Runs 16-bit <paramref name="input"/> through a fresh resampler in 20 ms frames (16-bit API).</summary>
    public static double[] Run16(int inputRate, int outputRate, short[] input)
    {
        var resampler = StreamingResampler.Create(inputRate, outputRate);
        var output = new short[resampler.MaxOutputLength(input.Length) + 8];
        var frame = inputRate / 50;
        var written = 0;
        for (var offset = 0; offset < input.Length; offset += frame)
        {
            var chunk = input.AsSpan(offset, Math.Min(frame, input.Length - offset));
            written += resampler.Process(chunk, output.AsSpan(written));
        }

        return [.. output.AsSpan(0, written).ToArray().Select(x => (double)x)];
    }
}
