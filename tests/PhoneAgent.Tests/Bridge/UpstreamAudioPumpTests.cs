using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AudioCodec;
using PhoneAgent.Bridge;

namespace PhoneAgent.Tests.Bridge;

public sealed class UpstreamAudioPumpTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<int> _sent = [];
    private int _streamEnds;

    [Fact]
    public void Each_20_ms_caller_frame_goes_to_the_model_at_once_as_16_kHz_pcm()
    {
        using var pump = NewPump();
        pump.Forward(Frame());
        pump.Forward(Frame());
        Assert.Equal([640, 640], _sent);
    }

    [Fact]
    public void Silence_is_sent_on_a_timer_when_frames_stop_then_audioStreamEnd_after_a_second()
    {
        using var pump = NewPump();
        pump.Forward(Frame());
        _sent.Clear();

        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Empty(_sent);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(5, _sent.Count); // the 100 ms gap, as five 20 ms frames

        for (var i = 0; i < 45; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(1, _streamEnds);
        Assert.InRange(_sent.Count, 48, 50);
        var afterEnd = _sent.Count;
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(afterEnd, _sent.Count);
        Assert.Equal(1, _streamEnds);

        pump.Forward(Frame()); // the caller's audio is back
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(_sent.Count > afterEnd + 1);
    }

    [Fact]
    public void Batching_sends_several_frames_per_message()
    {
        using var pump = NewPump(batch: 3);
        for (var i = 0; i < 6; i++)
        {
            pump.Forward(Frame());
        }

        Assert.Equal([1920, 1920], _sent);
    }

    private UpstreamAudioPump NewPump(int batch = 1) =>
        new(16_000, pcm => _sent.Add(pcm.Length), () => _streamEnds++, new BridgeOptions { UpstreamBatchFrames = batch }, _time);

    private static byte[] Frame()
    {
        var samples = new short[160];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(6000 * Math.Sin(2 * Math.PI * 1000 * i / 8000));
        }

        var codes = new byte[160];
        MuLaw.Encode(samples, codes);
        return codes;
    }
}
