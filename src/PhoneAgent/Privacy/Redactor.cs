using System.Text.RegularExpressions;

namespace PhoneAgent.Privacy;

/// <summary>
/// Removes payment card data from free text before it is stored (transcripts, hand-off summaries, callback topics,
/// refund reasons, audit details). What it replaces:
/// <list type="bullet">
/// <item>13–19 digits, alone or grouped with single spaces or dashes, that pass the Luhn check → <c>[card]</c>;</item>
/// <item>16 digits grouped 4-4-4-4 or 15 grouped 4-6-5 even when the Luhn check fails: a misheard or mistyped card
/// number is still card data → <c>[card]</c>;</item>
/// <item>13–19 spoken digits in a row ("four one one one …") → <c>[card]</c>;</item>
/// <item>a 3–4 digit run just after (or just before) a word like CVV, CVC, CID or "security code" → <c>[cvv]</c>.</item>
/// </list>
/// Shorter numbers (order numbers such as A1001, prices, times, phone numbers) are left alone: they are what the
/// humans reading the record need.
/// </summary>
internal static partial class Redactor
{
    public const string CardMark = "[card]";
    public const string CvvMark = "[cvv]";

    /// <summary>The text with card numbers and CVV-like codes replaced.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange('0', '9') && !SpokenDigitHint().IsMatch(text))
        {
            return text;
        }

        var result = DigitRun().Replace(text, static m => LooksLikeCard(m.Value) ? CardMark : m.Value);
        result = SpokenDigits().Replace(result, CardMark);
        result = CvvAfterKeyword().Replace(result, static m => m.Groups["lead"].Value + CvvMark);
        result = CvvBeforeKeyword().Replace(result, CvvMark);
        return result;
    }

    /// <summary><see cref="Redact(string)"/> that passes <see langword="null"/> through.</summary>
    public static string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    private static bool LooksLikeCard(string run)
    {
        Span<byte> digits = stackalloc byte[32];
        var count = 0;
        foreach (var c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = (byte)(c - '0');
            }
        }

        if (count is < 13 or > 19)
        {
            return false;
        }

        return Luhn(digits[..count]) || CardGrouping().IsMatch(run);
    }

    /// <summary>The Luhn (mod 10) check every card number passes.</summary>
    internal static bool Luhn(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            int d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    // 13 to 19 digits with optional single space or dash between them, not part of a longer run or a word.
    [GeneratedRegex(@"(?<![\w\-]|\d[ \-])\d(?:[ \-]?\d){12,18}(?![\w]|[ \-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"^(?:\d{4}([ \-])\d{4}\1\d{4}\1\d{4}|\d{4}([ \-])\d{6}\2\d{5})$", RegexOptions.CultureInvariant)]
    private static partial Regex CardGrouping();

    [GeneratedRegex(@"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpokenDigitHint();

    [GeneratedRegex(@"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,\-]+){12,18}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpokenDigits();

    [GeneratedRegex(@"(?<lead>\b(?:cvv2?|cvc2?|cid|csc|cav2|security\s+code|card\s+verification(?:\s+(?:code|value|number))?|verification\s+code|three\s+digits?\s+on\s+the\s+back)\b[^\d\[\]]{0,20}?)\d(?:[ \-]?\d){2,3}(?![\d])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CvvAfterKeyword();

    [GeneratedRegex(@"(?<![\w.,$£€])\d{3,4}(?![\d.,])(?=[^\d\[\]]{0,15}?\b(?:is\s+(?:my|the)\s+)?(?:cvv2?|cvc2?|security\s+code)\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CvvBeforeKeyword();
}
