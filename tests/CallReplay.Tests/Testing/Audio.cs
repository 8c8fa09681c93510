using PhoneAgent.AudioCodec;

namespace PhoneAgent.CallReplay.Tests.Testing;

/// <summary>Test signals.</summary>
public static class Audio
{
    /// <summary>μ-law 8 kHz: a tone of <paramref name="hz"/> at -10 dBFS during each (start, end) in ms, silence elsewhere.</summary>
    public static byte[] Bursts(int totalMs, int hz = 440, params (int StartMs, int EndMs)[] bursts)
    {
        var pcm = Pcm(8000, totalMs, hz, bursts);
        var muLaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, muLaw);
        return muLaw;
    }

    public static short[] Pcm(int rate, int totalMs, int hz, params (int StartMs, int EndMs)[] bursts)
    {
        var samples = new short[rate * totalMs / 1000];
        foreach (var (start, end) in bursts)
        {
            for (var i = rate * start / 1000; i < rate * end / 1000 && i < samples.Length; i++)
            {
                samples[i] = (short)(10362 * Math.Sin(2 * Math.PI * hz * i / rate));
            }
        }

        return samples;
    }

    /// <summary><paramref name="ms"/> of μ-law silence (0xFF).</summary>
    public static byte[] Silence(int ms)
    {
        var bytes = new byte[ms * 8];
        bytes.AsSpan().Fill(0xFF);
        return bytes;
    }

    /// <summary><paramref name="ms"/> of μ-law filled with one non-silent code (recognisable in heard audio).</summary>
    public static byte[] Marker(int ms, byte code = 0x80)
    {
        var bytes = new byte[ms * 8];
        bytes.AsSpan().Fill(code);
        return bytes;
    }
}
