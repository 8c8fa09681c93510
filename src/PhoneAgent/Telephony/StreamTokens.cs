using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PhoneAgent.Telephony;

/// <summary>
/// Issues and checks stream tokens: <c>v1.{ordinal}.{expiry unix seconds}.{base64url HMAC-SHA256}</c> over
/// (CallSid, ordinal, expiry). The token travels in the TwiML's <c>&lt;Parameter&gt;</c> and comes back in
/// <c>start.customParameters</c>; single use is enforced by the call store, not here.
/// </summary>
/// <remarks>
/// The HMAC key is derived from each signing auth token (HMAC-SHA256 of a fixed label), so every instance that knows
/// the auth token can check a token another instance issued, and a rotated token keeps working while it is the
/// secondary. Tokens are issued with the primary key.
/// </remarks>
internal sealed class StreamTokens(TwilioCredentials credentials)
{
    private const string Version = "v1";
    private static readonly byte[] KeyLabel = "PhoneAgent stream token v1"u8.ToArray();
    private readonly byte[][] _keys = [.. credentials.SigningTokens.Select(t => HMACSHA256.HashData(Encoding.UTF8.GetBytes(t), KeyLabel))];

    public string Issue(string callSid, int ordinal, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(callSid);
        if (_keys.Length == 0)
        {
            throw new InvalidOperationException("No Twilio auth token is configured (Twilio:AuthToken).");
        }

        var expiry = expiresAt.ToUnixTimeSeconds();
        return $"{Version}.{ordinal.ToString(CultureInfo.InvariantCulture)}.{expiry.ToString(CultureInfo.InvariantCulture)}.{Mac(_keys[0], callSid, ordinal, expiry)}";
    }

    /// <summary>Checks <paramref name="token"/> for <paramref name="callSid"/> at <paramref name="now"/>.</summary>
    public StreamTokenCheck Check(string? token, string callSid, DateTimeOffset now)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 4 } || parts[0] != Version
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) || ordinal < 1
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return new StreamTokenCheck(StreamTokenStatus.Malformed, 0);
        }

        var presented = Encoding.ASCII.GetBytes(parts[3]);
        var valid = false;
        foreach (var key in _keys)
        {
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, callSid, ordinal, expiry)), presented);
        }

        return !valid ? new StreamTokenCheck(StreamTokenStatus.BadSignature, ordinal)
            : now.ToUnixTimeSeconds() > expiry ? new StreamTokenCheck(StreamTokenStatus.Expired, ordinal)
            : new StreamTokenCheck(StreamTokenStatus.Valid, ordinal);
    }

    private static string Mac(byte[] key, string callSid, int ordinal, long expiry)
    {
        var data = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{callSid}\n{ordinal}\n{expiry}"));
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, data, hash);
        return Base64Url.EncodeToString(hash);
    }
}

/// <summary>Result of <see cref="StreamTokens.Check"/>.</summary>
/// <param name="Status">Whether the token is usable.</param>
/// <param name="Ordinal">The stream ordinal the token names (0 when malformed).</param>
internal readonly record struct StreamTokenCheck(StreamTokenStatus Status, int Ordinal);

internal enum StreamTokenStatus
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
}
