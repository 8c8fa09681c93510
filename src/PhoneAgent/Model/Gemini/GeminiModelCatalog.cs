using System.Collections.Frozen;
using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// The per-model capability table: built-in rows for the current native-audio models (shared/protocols/gemini-live.md,
/// sections 1.3, 2, 3.2, 3.3), overridden key by key from <c>Gemini:Models:{model}:{capability}</c>.
/// </summary>
/// <remarks>
/// An unknown model gets the row of its family, guessed from the name (<c>2.5</c> → the 2.5 native-audio row,
/// anything else → the conservative 3.x row), and a warning at start.
/// </remarks>
internal static class GeminiModelCatalog
{
    /// <summary>2.5 native audio on the Developer API: everything optional, thinkingBudget, no languageCode.</summary>
    public static readonly GeminiModelCapabilities NativeAudio25 = new(
        AffectiveDialog: true, ProactiveAudio: true, Thinking: GeminiThinkingField.Budget, NonBlockingTools: true,
        ToolsNonBlockingByDefault: false, MidSessionClientContent: true, LanguageCode: false, GoogleSearch: true);

    /// <summary>2.5 native audio on Vertex: as on the Developer API, and Vertex documents languageCode as optional.</summary>
    public static readonly GeminiModelCapabilities VertexNativeAudio25 = NativeAudio25 with { LanguageCode = true };

    /// <summary>3.1 live preview: no affective dialog or proactivity, thinkingLevel, synchronous tools only, realtime text instead of clientContent.</summary>
    public static readonly GeminiModelCapabilities Live31 = new(
        AffectiveDialog: false, ProactiveAudio: false, Thinking: GeminiThinkingField.Level, NonBlockingTools: false,
        ToolsNonBlockingByDefault: false, MidSessionClientContent: false, LanguageCode: false, GoogleSearch: true);

    /// <summary>3.8 live: affective dialog and proactivity are built in (sending them errors), tools non-blocking by default; Search grounding undocumented (off).</summary>
    public static readonly GeminiModelCapabilities Live38 = new(
        AffectiveDialog: false, ProactiveAudio: false, Thinking: GeminiThinkingField.Level, NonBlockingTools: true,
        ToolsNonBlockingByDefault: true, MidSessionClientContent: true, LanguageCode: false);

    public static FrozenDictionary<string, GeminiModelCapabilities> BuiltIn { get; } = new Dictionary<string, GeminiModelCapabilities>(StringComparer.OrdinalIgnoreCase)
    {
        ["gemini-2.5-flash-native-audio-preview-12-2025"] = NativeAudio25,
        ["gemini-2.5-flash-native-audio-preview-09-2025"] = NativeAudio25,
        ["gemini-live-2.5-flash-native-audio"] = VertexNativeAudio25,
        ["gemini-live-2.5-flash-preview-native-audio-09-2025"] = VertexNativeAudio25,
        ["gemini-3.1-flash-live-preview"] = Live31,
        ["gemini-3.8-live"] = Live38,
        ["gemini-3.8-live-extended-thinking"] = Live38,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model's row: built-in (or guessed by family) with the configured overrides applied.</summary>
    public static GeminiModelCapabilities Resolve(string model, IReadOnlyDictionary<string, GeminiModelOptions>? overrides, out bool known)
    {
        ArgumentNullException.ThrowIfNull(model);
        known = BuiltIn.TryGetValue(model, out var row);
        row ??= model.Contains("2.5", StringComparison.Ordinal) ? NativeAudio25 : Live31;
        if (overrides is not null && overrides.TryGetValue(model, out var o) && o is not null)
        {
            known = true;
            row = new GeminiModelCapabilities(
                o.AffectiveDialog ?? row.AffectiveDialog,
                o.ProactiveAudio ?? row.ProactiveAudio,
                ParseThinking(o.Thinking) ?? row.Thinking,
                o.NonBlockingTools ?? row.NonBlockingTools,
                o.ToolsNonBlockingByDefault ?? row.ToolsNonBlockingByDefault,
                o.MidSessionClientContent ?? row.MidSessionClientContent,
                o.LanguageCode ?? row.LanguageCode,
                o.GoogleSearch ?? row.GoogleSearch);
        }

        return row;
    }

    /// <summary><c>Budget</c>, <c>Level</c> or <c>None</c> (case-insensitive); <see langword="null"/> when blank or unknown.</summary>
    public static GeminiThinkingField? ParseThinking(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "BUDGET" or "THINKINGBUDGET" => GeminiThinkingField.Budget,
        "LEVEL" or "THINKINGLEVEL" => GeminiThinkingField.Level,
        "NONE" => GeminiThinkingField.None,
        _ => null,
    };
}
