using System.Text;
using System.Text.RegularExpressions;

namespace PhoneAgent.Knowledge;

/// <summary>Splits a markdown article at its headings into passages of plain text.</summary>
internal static partial class MarkdownPassages
{
    /// <summary>Sections longer than this are cut at paragraph ends, so one passage stays a few spoken sentences.</summary>
    public const int MaxPassageCharacters = 900;

    public static IReadOnlyList<KnowledgePassage> Split(string markdown, string source)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var title = lines.Select(l => Heading().Match(l)).FirstOrDefault(m => m.Success && m.Groups[1].Length == 1)?.Groups[2].Value.Trim()
            ?? Path.GetFileNameWithoutExtension(source).Replace('-', ' ').Replace('_', ' ');

        var passages = new List<KnowledgePassage>();
        var heading = title;
        var paragraphs = new List<string>();
        var paragraph = new StringBuilder();

        void EndParagraph()
        {
            if (paragraph.Length > 0)
            {
                paragraphs.Add(paragraph.ToString());
                paragraph.Clear();
            }
        }

        void EndSection()
        {
            EndParagraph();
            var chunk = new StringBuilder();
            foreach (var p in paragraphs)
            {
                if (chunk.Length > 0 && chunk.Length + p.Length > MaxPassageCharacters)
                {
                    passages.Add(new KnowledgePassage(title, heading, chunk.ToString(), source));
                    chunk.Clear();
                }

                chunk.Append(chunk.Length > 0 ? "\n" : "").Append(p);
            }

            if (chunk.Length > 0)
            {
                passages.Add(new KnowledgePassage(title, heading, chunk.ToString(), source));
            }

            paragraphs.Clear();
        }

        var inFence = false;
        foreach (var raw in lines)
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            var match = inFence ? Match.Empty : Heading().Match(raw);
            if (match.Success)
            {
                EndSection();
                heading = match.Groups[1].Length == 1 ? title : Plain(match.Groups[2].Value);
                continue;
            }

            var line = Plain(raw);
            if (line.Length == 0)
            {
                EndParagraph();
            }
            else
            {
                paragraph.Append(paragraph.Length > 0 ? " " : "").Append(line);
            }
        }

        EndSection();
        return passages;
    }

    /// <summary>Text without list markers, emphasis, inline code and link targets.</summary>
    private static string Plain(string line)
    {
        var text = ListMarker().Replace(line.Trim(), "");
        text = Link().Replace(text, "$1");
        return text.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.+?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^([-*+]|\d+[.)]|>)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
