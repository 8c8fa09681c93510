using System.Security.Cryptography;

namespace PhoneAgent.CallReplay.Twilio;

/// <summary>Twilio resource ids: a two-letter prefix and 32 lowercase hex digits (34 characters).</summary>
public static class TwilioSids
{
    public static string NewCallSid() => New("CA");

    public static string NewStreamSid() => New("MZ");

    public static string NewQueueSid() => New("QU");

    public static string NewRecordingSid() => New("RE");

    /// <summary>A new id with <paramref name="prefix"/> (two letters).</summary>
    public static string New(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }
}
