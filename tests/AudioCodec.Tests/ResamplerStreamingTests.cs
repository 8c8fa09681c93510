using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.AudioCodec.Tests.Signals;

namespace PhoneAgent.AudioCodec.Tests;

public sealed class ResamplerStreamingTests
{
    [Theory]
    [MemberData(nameof(ResamplerPaths.Fixed), MemberType = typeof(ResamplerPaths))]
    public void Every_20_ms_frame_yields_one_20_ms_frame_from_the_first_on(int inputRate, int outputRate)
    {
        var resampler = StreamingResampler.Create(inputRate, outputRate);
        var input = Tone.Noise16(inputRate * 2, seed: 1);
        var frameIn = inputRate / 50;
        var frameOut = outputRate / 50;
        var output = new short[frameOut + 16];
        for (var offset = 0; offset < input.Length; offset += frameIn)
        {
            Assert.Equal(frameOut, resampler.GetOutputLength(frameIn));
            Assert.Equal(frameOut, resampler.Process(input.AsSpan(offset, frameIn), output));
        }
    }

    [Fact]
    public void The_first_frame_carries_signal_at_once()
    {
        // No start-up hole: an impulse at the start of the first frame comes out within the filter delay.
        var resampler = StreamingResampler.Upsample8To16();
        var input = new short[160];
        input[0] = 16000;
        var output = new short[320];
        resampler.Process(input, output);
        var peak = Array.IndexOf(output, output.MaxBy(Math.Abs));
        Assert.InRange(peak / 16.0, 0, 3); // milliseconds
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Output_count_after_n_inputs_is_n_times_the_ratio_within_one(int inputRate, int outputRate)
    {
        var resampler = StreamingResampler.Create(inputRate, outputRate);
        var random = new Random(7);
        var input = Tone.Noise16(inputRate, seed: 2);
        var output = new short[resampler.MaxOutputLength(input.Length)];
        long consumed = 0, produced = 0;
        while (consumed < input.Length)
        {
            var n = (int)Math.Min(random.Next(1, 700), input.Length - consumed);
            produced += resampler.Process(input.AsSpan((int)consumed, n), output);
            consumed += n;
            var ideal = consumed * outputRate / inputRate;
            Assert.InRange(produced, ideal - 1, ideal + 1);
        }
    }

    [Theory]
    [MemberData(nameof(ResamplerPaths.All), MemberType = typeof(ResamplerPaths))]
    public void Output_is_bit_identical_for_any_chunking(int inputRate, int outputRate)
    {
        var input = Tone.Noise16(inputRate * 10, seed: 3); // 10 s of noise
        var whole = Chunked(inputRate, outputRate, input, _ => input.Length);
        var random = new Random(11);
        Assert.Equal(whole, Chunked(inputRate, outputRate, input, _ => inputRate / 50));
        Assert.Equal(whole, Chunked(inputRate, outputRate, input, _ => 7));
        Assert.Equal(whole, Chunked(inputRate, outputRate, input, _ => 1031));
        Assert.Equal(whole, Chunked(inputRate, outputRate, input, _ => random.Next(1, 5000)));
    }

    [Fact]
    public void Float_api_is_bit_identical_for_any_chunking()
    {
        var input = Tone.Sine(1234, 24000, 2, 0.7);
        var reference = StreamingResampler.Downsample24To8();
        var whole = new float[reference.GetOutputLength(input.Length)];
        reference.Process(input, whole);

        var chunked = StreamingResampler.Downsample24To8();
        var output = new List<float>();
        var buffer = new float[2000];
        var random = new Random(5);
        for (var offset = 0; offset < input.Length;)
        {
            var n = Math.Min(random.Next(1, 3000), input.Length - offset);
            var written = chunked.Process(input.AsSpan(offset, n), buffer);
            output.AddRange(buffer.AsSpan(0, written).ToArray());
            offset += n;
        }

        Assert.Equal(whole, output.ToArray());
    }

    [Fact]
    public void Reset_forgets_all_past_input()
    {
        var input = Tone.Noise16(24000, seed: 4);
        var fresh = StreamingResampler.Downsample24To8();
        var expected = new short[fresh.GetOutputLength(input.Length)];
        fresh.Process(input, expected);

        var reused = StreamingResampler.Downsample24To8();
        var scratch = new short[8000];
        reused.Process(Tone.Noise16(1001, seed: 9), scratch);
        reused.Reset();
        var actual = new short[reused.GetOutputLength(input.Length)];
        reused.Process(input, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_short_output_is_rejected_without_consuming_input()
    {
        var resampler = StreamingResampler.Upsample8To16();
        var input = Tone.Noise16(160, seed: 6);
        Assert.Throws<ArgumentException>(() => resampler.Process(input, new short[319]));

        var output = new short[320];
        Assert.Equal(320, resampler.Process(input, output));
        var fresh = new short[320];
        StreamingResampler.Upsample8To16().Process(input, fresh);
        Assert.Equal(fresh, output);
    }

    private static short[] Chunked(int inputRate, int outputRate, short[] input, Func<int, int> nextSize)
    {
        var resampler = StreamingResampler.Create(inputRate, outputRate);
        var output = new short[resampler.MaxOutputLength(input.Length) + 16];
        var written = 0;
        for (var offset = 0; offset < input.Length;)
        {
            var n = Math.Min(nextSize(offset), input.Length - offset);
            written += resampler.Process(input.AsSpan(offset, n), output.AsSpan(written));
            offset += n;
        }

        return output[..written];
    }
}
