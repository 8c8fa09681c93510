using System.Text;

namespace PhoneAgent.Bridge;

/// <summary>What the caller heard of an agent turn that was cut off.</summary>
/// <remarks>
/// Twilio echoes a mark when playback reaches it, so the frames of the last mark echoed before <c>clear</c> were
/// heard (within one model chunk). The heard text is the turn's output transcription cut at
/// <c>heard audio / model audio received for the turn</c>, by characters (speech time follows text length better
/// than word count), rounded down to a whole word: a word counts only if it ends before the cut.
/// </remarks>
internal static class HeardText
{
    /// <summary>The fraction of the turn's audio that was heard, 0..1.</summary>
    public static double Fraction(TimeSpan heard, TimeSpan received) =>
        received <= TimeSpan.Zero ? 0 : Math.Clamp(heard / received, 0, 1);

    /// <summary>The first words of <paramref name="transcript"/> that end within <paramref name="fraction"/> of its length.</summary>
    public static string Cut(string transcript, double fraction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var words = transcript.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || fraction <= 0)
        {
            return "";
        }

        var total = words.Sum(w => w.Length) + words.Length - 1;
        var cut = fraction >= 1 ? total : fraction * total;
        var text = new StringBuilder();
        var end = 0;
        foreach (var word in words)
        {
            end += word.Length;
            if (end > cut)
            {
                break;
            }

            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(word);
            end++; // the space after it
        }

        return text.ToString();
    }

    /// <summary>The note for the model: <c>[interrupted: the caller heard only '…']</c>.</summary>
    public static string Note(string heard) =>
        heard.Length == 0
            ? "[interrupted: the caller heard nothing of this answer]"
            : $"[interrupted: the caller heard only '{heard.Replace('\'', '’')}']";
}
