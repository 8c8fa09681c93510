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
}
