using System.Collections.Frozen;

namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Gemini Live's prebuilt voices (case-sensitive). An unknown voice makes Gemini close the socket at setup instead of
/// answering, so a typo is caught at start instead (see shared/protocols/gemini-live.md, section 2).
/// </summary>
internal static class GeminiVoices
{
    private static readonly string[] Names =
    [
        "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe",
        "Enceladus", "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi", "Laomedeia",
        "Achernar", "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi", "Vindemiatrix",
        "Sadachbia", "Sadaltager", "Sulafat",
    ];

    public static FrozenSet<string> Known { get; } = Names.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The voice names for error messages, comma-separated.</summary>
    public static string List { get; } = string.Join(", ", Names);
}
