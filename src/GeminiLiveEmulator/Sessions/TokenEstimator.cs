namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Rough token counts for usageMetadata: ~4 characters per text token, 25 tokens per second of audio (recorded).</summary>
internal static class TokenEstimator
{
    public const double AudioTokensPerSecond = 25;

    public static int Text(string text) => (text.Length + 3) / 4;

    public static int Audio(double seconds) => (int)Math.Round(seconds * AudioTokensPerSecond);
}
