namespace PhoneAgent.AgentProfiles;

/// <summary><c>knowledge</c>: the markdown articles <c>search_knowledge_base</c> searches.</summary>
internal sealed record KnowledgeSettings
{
    /// <summary>
    /// Markdown files relative to the profiles folder, e.g. <c>knowledge/returns.md</c>; the file name may hold <c>*</c>
    /// (<c>knowledge/*.md</c>). Every entry must match at least one file inside the profiles folder.
    /// </summary>
    public IReadOnlyList<string> Articles { get; set; } = [];
}
