namespace PhoneAgent.Options;

/// <summary>Gemini Live settings, section <c>Gemini</c>.</summary>
internal sealed class GeminiOptions
{
    public const string SectionName = "Gemini";

    /// <summary>Gemini Developer API key. ⚠️ A secret: logged only as set or not set.</summary>
    /// <value>Optional for now. The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }
}
