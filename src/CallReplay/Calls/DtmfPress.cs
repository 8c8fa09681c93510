using System.Globalization;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>A key the caller presses <paramref name="At"/> into the recording (sent as a <c>dtmf</c> message).</summary>
public sealed record DtmfPress(char Digit, TimeSpan At)
{
    /// <summary>Parses <c>DIGIT@SECONDS</c>, e.g. <c>5@3.2</c> or <c>#@10s</c>.</summary>
    public static DtmfPress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at != 1 || !"0123456789*#ABCDabcd".Contains(text[0], StringComparison.Ordinal)
            || !double.TryParse(text[(at + 1)..].TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
        {
            throw new FormatException($"\"{text}\" is not DIGIT@SECONDS (for example 5@3.2).");
        }

        return new DtmfPress(char.ToUpperInvariant(text[0]), TimeSpan.FromSeconds(seconds));
    }
}
