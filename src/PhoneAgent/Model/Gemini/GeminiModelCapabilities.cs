namespace PhoneAgent.Model.Gemini;

/// <summary>What one Gemini Live model accepts; decides which setup fields and messages are sent.</summary>
/// <param name="AffectiveDialog"><c>generationConfig.enableAffectiveDialog</c> is accepted.</param>
/// <param name="ProactiveAudio"><c>proactivity.proactiveAudio</c> is accepted.</param>
/// <param name="Thinking">Which thinking field the model takes.</param>
/// <param name="NonBlockingTools"><c>behavior: NON_BLOCKING</c> declarations and response <c>scheduling</c> are accepted.</param>
/// <param name="ToolsNonBlockingByDefault">Undeclared behavior means non-blocking, so blocking tools are declared <c>BLOCKING</c>.</param>
/// <param name="MidSessionClientContent"><c>clientContent</c> is accepted after setup (some 3.x models close with 1007).</param>
/// <param name="LanguageCode"><c>speechConfig.languageCode</c> is accepted.</param>
/// <param name="GoogleSearch">The built-in <c>googleSearch</c> tool (grounding) is accepted next to function declarations.</param>
internal sealed record GeminiModelCapabilities(
    bool AffectiveDialog,
    bool ProactiveAudio,
    GeminiThinkingField Thinking,
    bool NonBlockingTools,
    bool ToolsNonBlockingByDefault,
    bool MidSessionClientContent,
    bool LanguageCode,
    bool GoogleSearch = false);

internal enum GeminiThinkingField
{
    /// <summary>No thinking configuration is sent.</summary>
    None = 0,

    /// <summary><c>thinkingConfig.thinkingBudget</c> (2.5 models; 0 disables, -1 dynamic).</summary>
    Budget = 1,

    /// <summary><c>thinkingConfig.thinkingLevel</c> (3.x models: minimal, low, medium, high).</summary>
    Level = 2,
}
