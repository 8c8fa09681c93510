using System.Text.RegularExpressions;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Finds an instruction to say a quoted sentence word for word, e.g. <c>…by saying exactly: "Hello."</c>.</summary>
internal static partial class QuotedInstruction
{
    public static string? Find(string? text) =>
        text is not null && Pattern().Match(text) is { Success: true } match ? match.Groups["words"].Value.Trim() : null;

    [GeneratedRegex("""(?:say|saying)\s+exactly:?\s*["“](?<words>[^"”]+)["”]""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
