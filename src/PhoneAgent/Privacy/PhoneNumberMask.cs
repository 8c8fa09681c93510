using System.Security.Cryptography;
using System.Text;

namespace PhoneAgent.Privacy;

/// <summary>Phone numbers as logs may show them: the last four digits, or a short hash to match log lines of one caller.</summary>
internal static class PhoneNumberMask
{
    // A fixed salt keeps the hash stable across instances (to correlate logs) while a plain SHA-256 of the number
    // would be found in any precomputed table. It is not a secret: the hash hides the number from readers of logs,
    // it does not stop someone who tries every number in a range.
    private static readonly byte[] Salt = "PhoneAgent/phone-log-hash/v1"u8.ToArray();

    /// <summary><c>…0100</c>: the last four digits; <c>(none)</c> for no number, <c>…</c> for one with no digits.</summary>
    public static string LastFour(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "(none)";
        }

        Span<char> last = stackalloc char[4];
        var count = 0;
        for (var i = phone.Length - 1; i >= 0 && count < 4; i--)
        {
            if (char.IsAsciiDigit(phone[i]))
            {
                last[3 - count++] = phone[i];
            }
        }

        return "…" + new string(last[(4 - count)..]);
    }

    /// <summary><c>ph:</c> and 12 hex digits of a salted SHA-256 of the digits (so <c>+1 415-555-0100</c> and <c>+14155550100</c> match).</summary>
    public static string Hash(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "(none)";
        }

        var digits = new StringBuilder(phone.Length);
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        var input = Salt.Concat(Encoding.UTF8.GetBytes(digits.Length > 0 ? digits.ToString() : phone)).ToArray();
        return "ph:" + Convert.ToHexStringLower(SHA256.HashData(input).AsSpan(0, 6));
    }
}
