using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>Synthetic caller recordings: silence with speech-like bursts where the test wants the caller to talk.</summary>
public static class CallerAudio
{
    public const int Rate = 8000;

    /// <summary>A recording of <paramref name="length"/> with "speech" (a 200 Hz buzz with harmonics at about −12 dBFS) in each span.</summary>
    public static RecordedCall Speech(TimeSpan length, params (double StartSeconds, double EndSeconds, string Text)[] utterances)
    {
        var samples = new short[(int)(length.TotalSeconds * Rate)];
        foreach (var (start, end, _) in utterances)
        {
            for (var i = (int)(start * Rate); i < Math.Min(samples.Length, (int)(end * Rate)); i++)
            {
                var t = (double)i / Rate;
                var v = (0.5 * Math.Sin(2 * Math.PI * 200 * t)) + (0.3 * Math.Sin(2 * Math.PI * 400 * t)) + (0.2 * Math.Sin(2 * Math.PI * 800 * t));
                samples[i] = (short)(v * 12000);
            }
        }

        return RecordedCall.FromPcm(
            "synthetic",
            Rate,
            samples,
            [.. utterances.Select(u => new Utterance(TimeSpan.FromSeconds(u.StartSeconds), TimeSpan.FromSeconds(u.EndSeconds), u.Text))]);
    }

    /// <summary>A pure tone at <paramref name="dbfs"/> (RMS re full-scale sine) for the whole recording.</summary>
    public static RecordedCall Tone(TimeSpan length, double frequency, double dbfs)
    {
        var amplitude = 32767 * Math.Pow(10, dbfs / 20);
        var samples = new short[(int)(length.TotalSeconds * Rate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / Rate));
        }

        return RecordedCall.FromPcm("tone", Rate, samples, []);
    }
}
