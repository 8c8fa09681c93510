namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// Speech-like audio for text no clip says and espeak-ng is not there to speak: a voiced pulse train through two
/// formant resonators, one ~140 ms syllable per vowel group, pauses between words and longer ones at punctuation.
/// Deterministic, so its length tracks the text the way speech does (the bridge cuts transcripts by audio fraction).
/// </summary>
internal static class BabbleSynthesizer
{
    private const int Rate = SpeechClip.SampleRate;
    private static readonly (double F1, double F2)[] Vowels = [(700, 1220), (390, 2300), (300, 870), (530, 1840), (640, 1190)];

    public static short[] Synthesize(string text)
    {
        var output = new List<short>(Rate * 2);
        var syllableIndex = 0;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var syllables = Math.Max(1, CountVowelGroups(word));
            for (var s = 0; s < syllables; s++)
            {
                AppendSyllable(output, Vowels[syllableIndex++ % Vowels.Length], 0.14, 125 - (5 * (s % 3)));
            }

            var pause = word[^1] is '.' or '!' or '?' ? 0.3 : word[^1] is ',' or ';' or ':' ? 0.15 : 0.06;
            output.AddRange(new short[(int)(pause * Rate)]);
        }

        return [.. output];
    }

    private static int CountVowelGroups(string word)
    {
        var groups = 0;
        var inVowel = false;
        foreach (var c in word.ToLowerInvariant())
        {
            var vowel = c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' || char.IsDigit(c);
            if (vowel && !inVowel)
            {
                groups++;
            }

            inVowel = vowel;
        }

        return groups;
    }

    private static void AppendSyllable(List<short> output, (double F1, double F2) formants, double seconds, double f0)
    {
        var count = (int)(seconds * Rate);
        var r1 = new Resonator(formants.F1, 90);
        var r2 = new Resonator(formants.F2, 110);
        var period = Rate / f0;
        var nextPulse = 0.0;
        var ramp = Rate / 50; // 20 ms attack and release
        var samples = new double[count];
        var peak = 1e-9;
        for (var i = 0; i < count; i++)
        {
            var excitation = 0.0;
            if (i >= nextPulse)
            {
                excitation = 1.0;
                nextPulse += period;
            }

            var value = r2.Process(r1.Process(excitation));
            var gain = i < ramp ? (double)i / ramp : i > count - ramp ? (double)(count - i) / ramp : 1.0;
            samples[i] = value * gain;
            peak = Math.Max(peak, Math.Abs(samples[i]));
        }

        foreach (var sample in samples)
        {
            output.Add((short)Math.Round(sample / peak * 0.5 * short.MaxValue));
        }
    }

    /// <summary>A two-pole resonator (Klatt): centre frequency and bandwidth in Hz.</summary>
    private sealed class Resonator
    {
        private readonly double _a;
        private readonly double _b;
        private readonly double _c;
        private double _y1;
        private double _y2;

        public Resonator(double frequency, double bandwidth)
        {
            var t = 1.0 / Rate;
            _c = -Math.Exp(-2 * Math.PI * bandwidth * t);
            _b = 2 * Math.Exp(-Math.PI * bandwidth * t) * Math.Cos(2 * Math.PI * frequency * t);
            _a = 1 - _b - _c;
        }

        public double Process(double x)
        {
            var y = (_a * x) + (_b * _y1) + (_c * _y2);
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }
}
