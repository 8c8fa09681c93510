using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PhoneAgent.Support;

/// <summary>
/// Account PINs as PBKDF2-SHA256 hashes: <c>pbkdf2-sha256$iterations$saltB64$hashB64</c>. A PIN is short, so the
/// hash is slow on purpose; the per-call attempt limit (<see cref="ICallVerificationStore"/>) does the rest.
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
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="pin"/> matches <paramref name="stored"/>; a missing or malformed hash never matches.</summary>
    public static bool Verify(string pin, string? stored)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
