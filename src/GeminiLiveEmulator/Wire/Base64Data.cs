using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>Proto JSON <c>bytes</c>: standard or URL-safe base64 (the Python SDK sends URL-safe), padding optional.</summary>
internal static class Base64Data
{
    public static byte[]? TryDecode(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var chars = new char[text.Length + 3];
        var length = 0;
        foreach (var c in text)
        {
            chars[length++] = c switch
            {
                '-' => '+',
                '_' => '/',
                _ => c,
            };
        }

        while (length % 4 != 0)
        {
            chars[length++] = '=';
        }

        var bytes = new byte[length / 4 * 3];
        return Convert.TryFromBase64Chars(chars.AsSpan(0, length), bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>
    /// A JSON string decoded from the document's own UTF-8: no string, one array of the exact size (caller audio
    /// arrives 50 times a second per call). Escaped strings, which no SDK sends for base64, take the string path.
    /// </summary>
    public static byte[]? TryDecode(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        // System.Buffers.Text.Base64 is stricter than Convert (it refuses non-zero unused bits in the last character):
        // what it refuses goes the string path, so both accept and decode the same inputs.
        return (raw.Contains((byte)'\\') ? null : TryDecodeUtf8(raw)) ?? TryDecode(value.GetString() ?? "");
    }

    /// <summary>
    /// The same mapping as <see cref="TryDecode(string)"/> (URL-safe to standard, padding restored), on UTF-8; null for
    /// what it cannot decode, which <see cref="TryDecode(string)"/> may still accept.
    /// </summary>
    internal static byte[]? TryDecodeUtf8(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return [];
        }

        var buffer = ArrayPool<byte>.Shared.Rent(text.Length + 3);
        try
        {
            var length = 0;
            foreach (var b in text)
            {
                buffer[length++] = b switch
                {
                    (byte)'-' => (byte)'+',
                    (byte)'_' => (byte)'/',
                    _ => b,
                };
            }

            while (length % 4 != 0)
            {
                buffer[length++] = (byte)'=';
            }

            return Base64.DecodeFromUtf8InPlace(buffer.AsSpan(0, length), out var written) == OperationStatus.Done
                ? buffer.AsSpan(0, written).ToArray()
                : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
