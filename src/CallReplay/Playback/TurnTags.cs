using System.Globalization;
using PhoneAgent.AudioCodec;

namespace PhoneAgent.CallReplay.Playback;

/// <summary>
/// Reads which agent turn a piece of outbound audio belongs to, from the two tag conventions CallReplay understands.
/// </summary>
/// <remarks>
/// <para><b>Mark names.</b> A mark names the turn of the audio sent before it: PhoneAgent's <c>t{turn}.f{frames}</c>
/// (<c>.end</c> on a turn's final mark), or the generic <c>turn-{turn}</c>, <c>turn-{turn}:anything</c>
/// (<c>turn-{turn}:end</c> final). Every chunk since the previous mark takes the tag.</para>
/// <para><b>Tones.</b> A Gemini Live emulator in test mode may tag each reply with a pure tone: turn <c>n</c> is
/// <see cref="ToneFrequencyHz"/>(n) = 400 Hz + 100 Hz × (n mod 30), at least one whole 20 ms frame (160 samples)
/// above -40 dBFS at the start of the reply's audio. A chunk whose first frame is such a tone takes the tag
/// (modulo 30).</para>
/// </remarks>
public static class TurnTags
{
    /// <summary>How many distinct tone tags exist (turn numbers are taken modulo this).</summary>
    public const int ToneCount = 30;

    private const int FrameSamples = 160;

    /// <summary>Parses a mark name carrying a turn; <paramref name="final"/> when it marks the end of that turn.</summary>
    public static bool TryParseMark(string? name, out int turn, out bool final)
    {
        turn = 0;
        final = false;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        // PhoneAgent: t{turn}.f{frames}[.end]
        if (name[0] == 't' && name.IndexOf('.', StringComparison.Ordinal) is var dot and > 1
            && int.TryParse(name.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out turn)
            && name.AsSpan(dot + 1).StartsWith("f", StringComparison.Ordinal))
        {
            final = name.EndsWith(".end", StringComparison.Ordinal);
            return true;
        }

        // Generic: turn-{turn}[:...], turn{turn}, turn_{turn}
        if (name.StartsWith("turn", StringComparison.OrdinalIgnoreCase))
        {
            var rest = name.AsSpan(4).TrimStart("-_");
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits > 0 && int.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out turn)
                && (digits == rest.Length || rest[digits] is ':' or '.' or '-' or '/'))
            {
                final = name.EndsWith(":end", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".end", StringComparison.OrdinalIgnoreCase);
                return true;
            }
        }

        turn = 0;
        return false;
    }

    /// <summary>The tone that tags turn <paramref name="turn"/>.</summary>
    public static int ToneFrequencyHz(int turn) => 400 + (100 * (((turn % ToneCount) + ToneCount) % ToneCount));

    /// <summary>
    /// The tag of the tone filling the first 20 ms of <paramref name="muLaw"/>, or <see langword="null"/> when it is not
    /// one of the <see cref="ToneCount"/> tag tones (speech, silence, a mix).
    /// </summary>
    public static int? DetectTone(ReadOnlySpan<byte> muLaw)
    {
        if (muLaw.Length < FrameSamples)
        {
            return null;
        }

        Span<float> x = stackalloc float[FrameSamples];
        double energy = 0;
        var crossings = 0;
        for (var i = 0; i < FrameSamples; i++)
        {
            x[i] = MuLaw.Decode(muLaw[i]);
            energy += x[i] * x[i];
            if (i > 0 && (x[i] >= 0) != (x[i - 1] >= 0))
            {
                crossings++;
            }
        }

        // -40 dBFS RMS or quieter: not a tag.
        if (energy / FrameSamples < 32768.0 * 32768.0 * 1e-4)
        {
            return null;
        }

        // A pure tone crosses zero about 2·f·N/fs times; look only at the candidates near that estimate.
        var estimate = crossings * 8000.0 / (2 * FrameSamples);
        var nearest = (int)Math.Round((estimate - 400) / 100);
        for (var k = Math.Max(0, nearest - 1); k <= Math.Min(ToneCount - 1, nearest + 1); k++)
        {
            if (ToneShare(x, 400 + (100 * k), energy) > 0.8)
            {
                return k;
            }
        }

        return null;
    }

    /// <summary>Share of the frame's energy at <paramref name="frequency"/> (Goertzel; 1 for a pure tone on a bin).</summary>
    private static double ToneShare(ReadOnlySpan<float> x, int frequency, double energy)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000.0);
        double s1 = 0, s2 = 0;
        foreach (var sample in x)
        {
            var s = sample + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * power / (x.Length * energy);
    }
}
