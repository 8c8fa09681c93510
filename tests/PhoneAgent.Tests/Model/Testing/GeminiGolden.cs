using System.Text.Json.Nodes;

namespace PhoneAgent.Tests.Model.Testing;

/// <summary>The recorded Gemini Live frames in <c>shared/protocols/gemini-golden/</c> (beside the repository).</summary>
public static class GeminiGolden
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Directory => Folder.Value;

    public static string PathOf(string file) => System.IO.Path.Combine(Directory, file);

    public static byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public static JsonNode Json(string file) => JsonNode.Parse(File.ReadAllText(PathOf(file)))!;

    public static IEnumerable<string> Files(string prefix) =>
        System.IO.Directory.EnumerateFiles(Directory, prefix + "*.json").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "protocols", "gemini-golden");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "shared/protocols/gemini-golden was not found above " + AppContext.BaseDirectory + " (the shared folder sits beside the repository).");
    }
}
