using BenchmarkDotNet.Attributes;
using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using PhoneAgent.AudioCodec.Resampling;

namespace PhoneAgent.AudioCodec.Benchmarks;

/// <summary>Caller → Gemini, one 20 ms frame: 160 μ-law bytes at 8 kHz → 320 PCM16 samples at 16 kHz.</summary>
[MemoryDiagnoser]
public class InboundFrameBenchmarks
{
    private byte[] _mulaw = [];
    private int _frame;

    private readonly short[] _pcm8k = new short[160];
    private readonly short[] _pcm16k = new short[320];
    private StreamingResampler _resampler = null!;

    private readonly byte[] _naudioPcmBytes = new byte[320];
    private readonly float[] _naudioFloats = new float[320];
    private BufferedWaveProvider _naudioBuffer = null!;
    private WdlResamplingSampleProvider _naudioResampler = null!;

    [GlobalSetup]
    public void Setup()
    {
        _mulaw = FrameSignals.MuLaw8k();
        _resampler = StreamingResampler.Upsample8To16();
        _naudioBuffer = new BufferedWaveProvider(new WaveFormat(8000, 16, 1)) { DiscardOnBufferOverflow = true };
        _naudioResampler = new WdlResamplingSampleProvider(_naudioBuffer.ToSampleProvider(), 16000);
    }

    [Benchmark(Baseline = true, Description = "NAudio: MuLawDecoder + WdlResamplingSampleProvider")]
    public short NAudio()
    {
        var frame = NextFrame();
        for (var i = 0; i < frame.Length; i++)
        {
            var sample = MuLawDecoder.MuLawToLinearSample(frame[i]);
            _naudioPcmBytes[2 * i] = (byte)sample;
            _naudioPcmBytes[(2 * i) + 1] = (byte)(sample >> 8);
        }

        _naudioBuffer.AddSamples(_naudioPcmBytes, 0, _naudioPcmBytes.Length);
        var read = _naudioResampler.Read(_naudioFloats);
        for (var i = 0; i < read; i++)
        {
            _pcm16k[i] = (short)Math.Clamp(_naudioFloats[i] * 32768f, short.MinValue, short.MaxValue);
        }

        return _pcm16k[0];
    }

    [Benchmark(Description = "PhoneAgent: MuLaw.Decode + StreamingResampler 8→16 kHz")]
    public short PhoneAgent()
    {
        MuLaw.Decode(NextFrame(), _pcm8k);
        _resampler.Process(_pcm8k, _pcm16k);
        return _pcm16k[0];
    }

    private ReadOnlySpan<byte> NextFrame()
    {
        var frame = _mulaw.AsSpan(_frame * 160, 160);
        _frame = (_frame + 1) % FrameSignals.Frames;
        return frame;
    }
}
