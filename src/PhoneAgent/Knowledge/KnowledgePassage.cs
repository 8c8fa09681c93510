namespace PhoneAgent.Knowledge;

/// <summary>One searchable passage: a heading-delimited section of a markdown article.</summary>
/// <param name="Article">The article's title (its first <c>#</c> heading, else the file name).</param>
/// <param name="Heading">The section heading, or the article title for text before the first heading.</param>
/// <param name="Text">The section's text, markdown markup stripped.</param>
/// <param name="Source">The file, relative to the profiles folder.</param>
internal sealed record KnowledgePassage(string Article, string Heading, string Text, string Source)
{
    /// <summary>"Returns policy › Damaged items", or just the article title.</summary>
    public string Title => Heading == Article ? Article : $"{Article} › {Heading}";
}

/// <summary>A passage and its BM25 score for a query.</summary>
internal sealed record KnowledgeHit(KnowledgePassage Passage, double Score);
