using System.Globalization;

namespace PhoneAgent.Tools.Handlers;

/// <summary>How the support tools word money and personal data for the model (and the audit log).</summary>
internal static class SupportText
{
    public static string Money(long cents, string currency) =>
        (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + currency;

    /// <summary>Last four digits only: <c>***4567</c>.</summary>
    public static string MaskPhone(string? phone) =>
        phone is { Length: >= 4 } ? "***" + phone[^4..] : "***";

    /// <summary>First letter and domain: <c>j***@example.com</c>.</summary>
    public static string? MaskEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : email[0] + "***" + email[at..];
    }

    /// <summary>Postcodes compare without spaces and case.</summary>
    public static string NormalizePostcode(string postcode) =>
        new string([.. postcode.Where(c => !char.IsWhiteSpace(c) && c != '-')]).ToUpperInvariant();
}
