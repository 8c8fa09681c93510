using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

/// <summary>The recorded frames in <c>shared/protocols/gemini-golden/</c>, copied next to the tests.</summary>
internal static class Golden
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "golden", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static JsonElement Json(string name) => JsonDocument.Parse(Bytes(name)).RootElement.Clone();

    /// <summary>The reason text of a <c>close-*.json</c> fixture.</summary>
    public static string CloseReason(string name) => Json(name).GetProperty("close").GetProperty("reason").GetString()!;

    public static int CloseCode(string name) => Json(name).GetProperty("close").GetProperty("code").GetInt32();
}
