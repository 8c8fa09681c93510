namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// Test mode's turn tags. With <see cref="EmulatorOptions.TestMode"/> every reply is a pure tone (as long as the clip
/// it replaces) whose frequency names the caller turn it answers: 300 Hz for turn 1, +150 Hz per turn, up to 3,150 Hz
/// for turn 20, then round again. All of them pass a telephone channel (24 → 8 kHz, μ-law), so a test or CallReplay
/// can tell one turn's audio from the next with <see cref="Detect"/> on what it received or played.
/// </summary>
public static class EmulatorTurnTag
{
    /// <summary>How many turns get distinct tones before the tags repeat.</summary>
    public const int DistinctTurns = 20;

    /// <summary>The tone of caller turn <paramref name="turn"/> (1-based).</summary>
    public static double FrequencyHz(int turn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(turn, 1);
        return 300 + (150 * ((turn - 1) % DistinctTurns));
    }

    /// <summary>
    /// The turn whose tone dominates <paramref name="samples"/> (at least 10 ms of audio; 20 ms or more is reliable),
    /// as 1..<see cref="DistinctTurns"/>, or null for silence, speech or anything else.
    /// </summary>
    public static int? Detect(ReadOnlySpan<short> samples, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 4000);
        if (samples.Length < sampleRate / 100)
        {
            return null;
        }

        var energy = 0.0;
        foreach (var s in samples)
        {
            energy += (double)s * s;
        }

        var rmsDb = 10 * Math.Log10((energy / samples.Length) + 1e-9) - (20 * Math.Log10(32768));
        if (rmsDb < -45)
        {
            return null;
        }

        var bestTurn = 0;
        var bestPower = 0.0;
        for (var turn = 1; turn <= DistinctTurns; turn++)
        {
            var frequency = FrequencyHz(turn);
            if (frequency >= sampleRate / 2.0)
            {
                break;
            }

            var power = Goertzel(samples, frequency, sampleRate);
            if (power > bestPower)
            {
                bestPower = power;
                bestTurn = turn;
            }
        }

        // A pure tone puts (nearly) all of the energy in its bin: 2|X|²/N ≈ Σx².
        return bestTurn > 0 && bestPower / energy > 0.5 ? bestTurn : null;
    }

    private static double Goertzel(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var magnitudeSquared = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * magnitudeSquared / samples.Length;
    }
}
