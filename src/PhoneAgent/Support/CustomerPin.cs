using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PhoneAgent.Support;

/// <summary>
/// Account PINs, stored only as <c>pbkdf2-sha256$iterations$salt$hash</c> (salt and hash in base64). A 4–6 digit PIN
/// has too little entropy for any hash to protect it against someone holding the table; what protects it is the
/// attempt limit per call. The hash keeps PINs out of plain sight (backups, support screens) and makes bulk guessing
/// cost something; the iteration count travels with each hash, so it can be raised without breaking old ones.
/// </summary>
internal static class CustomerPin
{
    public const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string pin, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(pin);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (Normalize(pin).Length == 0)
        {
            throw new ArgumentException("A PIN needs at least one letter or digit.", nameof(pin));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Normalize(pin)), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="pin"/> matches <paramref name="stored"/>, in time independent of where they differ. A malformed or missing hash never matches.</summary>
    public static bool Verify(string? pin, string? stored)
    {
        if (string.IsNullOrEmpty(pin) || string.IsNullOrEmpty(stored))
        {
            return false;
        }

        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1 || iterations > 10_000_000)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (salt.Length == 0 || expected.Length == 0)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Normalize(pin)), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    // Callers say or key PINs with pauses; only the digits (and letters, for alphanumeric PINs) count.
    private static string Normalize(string pin)
    {
        var builder = new StringBuilder(pin.Length);
        foreach (var c in pin)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }
}
