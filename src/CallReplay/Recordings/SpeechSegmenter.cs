using PhoneAgent.AudioCodec;

namespace PhoneAgent.CallReplay.Recordings;

/// <summary>
/// Finds the caller's utterances in 8 kHz μ-law audio from its energy, for recordings without a transcript and to
/// check the ones that have one.
/// </summary>
/// <remarks>
/// Per 10 ms window: RMS in dBFS. The noise floor is the 10th percentile of the windows; a window is speech when it
/// is <see cref="ThresholdAboveFloorDb"/> above the floor and above <see cref="MinimumSpeechDb"/>. Speech windows
/// closer than <see cref="MergeGap"/> join one utterance (the pauses inside a sentence), and utterances shorter
/// than <see cref="MinimumUtterance"/> (clicks) are dropped.
/// </remarks>
public sealed class SpeechSegmenter
{
    private const int WindowSamples = 80; // 10 ms at 8 kHz

    /// <summary>How far above the noise floor speech must be. The default value is 10 dB.</summary>
    public double ThresholdAboveFloorDb { get; init; } = 10;

    /// <summary>The quietest level counted as speech whatever the floor. The default value is -60 dBFS.</summary>
    public double MinimumSpeechDb { get; init; } = -60;

    /// <summary>Gaps shorter than this stay inside one utterance. The default value is 600 ms.</summary>
    public TimeSpan MergeGap { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Shorter bursts are ignored. The default value is 120 ms.</summary>
    public TimeSpan MinimumUtterance { get; init; } = TimeSpan.FromMilliseconds(120);

    /// <summary>The utterances in <paramref name="muLaw"/> (8 kHz), with empty text.</summary>
    public IReadOnlyList<Utterance> Detect(ReadOnlySpan<byte> muLaw)
    {
        var windows = muLaw.Length / WindowSamples;
        if (windows == 0)
        {
            return [];
        }

        var levels = new double[windows];
        for (var w = 0; w < windows; w++)
        {
            levels[w] = LevelDb(muLaw.Slice(w * WindowSamples, WindowSamples));
        }

        var sorted = (double[])levels.Clone();
        Array.Sort(sorted);
        var floor = sorted[windows / 10];
        var threshold = Math.Max(floor + ThresholdAboveFloorDb, MinimumSpeechDb);

        var result = new List<Utterance>();
        var mergeWindows = (int)(MergeGap.TotalMilliseconds / 10);
        int? start = null;
        var lastSpeech = -1;
        for (var w = 0; w < windows; w++)
        {
            if (levels[w] < threshold)
            {
                continue;
            }

            if (start is not null && w - lastSpeech - 1 >= mergeWindows)
            {
                Add(result, start.Value, lastSpeech);
                start = null;
            }

            start ??= w;
            lastSpeech = w;
        }

        if (start is not null)
        {
            Add(result, start.Value, lastSpeech);
        }

        return result;
    }

    /// <summary>RMS level of μ-law samples in dBFS (-120 for digital silence).</summary>
    public static double LevelDb(ReadOnlySpan<byte> muLaw)
    {
        if (muLaw.IsEmpty)
        {
            return -120;
        }

        double sum = 0;
        foreach (var code in muLaw)
        {
            double s = MuLaw.Decode(code);
            sum += s * s;
        }

        var rms = Math.Sqrt(sum / muLaw.Length);
        return rms < 1e-3 ? -120 : 20 * Math.Log10(rms / 32768.0);
    }

    private void Add(List<Utterance> result, int firstWindow, int lastWindow)
    {
        var start = TimeSpan.FromMilliseconds(firstWindow * 10);
        var end = TimeSpan.FromMilliseconds((lastWindow + 1) * 10);
        if (end - start >= MinimumUtterance)
        {
            result.Add(new Utterance(start, end, ""));
        }
    }
}
