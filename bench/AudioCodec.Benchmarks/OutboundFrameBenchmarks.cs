using BenchmarkDotNet.Attributes;
using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using PhoneAgent.AudioCodec.Resampling;

namespace PhoneAgent.AudioCodec.Benchmarks;

/// <summary>Gemini → caller, one 20 ms frame: 480 PCM16 samples at 24 kHz → 160 μ-law bytes at 8 kHz.</summary>
[MemoryDiagnoser]
public class OutboundFrameBenchmarks
{
    private short[] _pcm24k = [];
    private int _frame;

    private readonly short[] _pcm8k = new short[160];
    private readonly byte[] _mulaw = new byte[160];
    private StreamingResampler _resampler = null!;

    private readonly byte[] _naudioPcmBytes = new byte[960];
    private readonly float[] _naudioFloats = new float[160];
    private BufferedWaveProvider _naudioBuffer = null!;
    private WdlResamplingSampleProvider _naudioResampler = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pcm24k = FrameSignals.Pcm(24000);
        _resampler = StreamingResampler.Downsample24To8();
        _naudioBuffer = new BufferedWaveProvider(new WaveFormat(24000, 16, 1)) { DiscardOnBufferOverflow = true };
        _naudioResampler = new WdlResamplingSampleProvider(_naudioBuffer.ToSampleProvider(), 8000);
    }

    [Benchmark(Baseline = true, Description = "NAudio: WdlResamplingSampleProvider + MuLawEncoder")]
    public byte NAudio()
    {
        var frame = NextFrame();
        for (var i = 0; i < frame.Length; i++)
        {
            _naudioPcmBytes[2 * i] = (byte)frame[i];
            _naudioPcmBytes[(2 * i) + 1] = (byte)(frame[i] >> 8);
        }

        _naudioBuffer.AddSamples(_naudioPcmBytes, 0, _naudioPcmBytes.Length);
        var read = _naudioResampler.Read(_naudioFloats);
        for (var i = 0; i < read; i++)
        {
            _mulaw[i] = MuLawEncoder.LinearToMuLawSample((short)Math.Clamp(_naudioFloats[i] * 32768f, short.MinValue, short.MaxValue));
        }

        return _mulaw[0];
    }

    [Benchmark(Description = "PhoneAgent: StreamingResampler 24→8 kHz + MuLaw.Encode")]
    public byte PhoneAgent()
    {
        _resampler.Process(NextFrame(), _pcm8k);
        MuLaw.Encode(_pcm8k, _mulaw);
        return _mulaw[0];
    }

    private ReadOnlySpan<short> NextFrame()
    {
        var frame = _pcm24k.AsSpan(_frame * 480, 480);
        _frame = (_frame + 1) % FrameSignals.Frames;
        return frame;
    }
}
