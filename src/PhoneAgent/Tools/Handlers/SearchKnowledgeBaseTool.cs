using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Knowledge;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>search_knowledge_base</c>: BM25 full-text search over the profile's markdown articles; answers with the best
/// three passages and their titles. Not audited: it reads no personal data.
/// </summary>
internal sealed class SearchKnowledgeBaseTool(KnowledgeBases knowledge) : IToolHandler
{
    public const string Name = ToolNames.SearchKnowledgeBase;

    public const int Passages = 3;

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Searches our help articles (policies, shipping, opening hours, refunds) and returns the best matching passages. Use it for any question about how we work, and answer only from what it returns; if nothing fits, say you do not know.",
        """
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "description": "The caller's question in a few keywords, e.g. 'return damaged item'." }
          },
          "required": ["query"]
        }
        """) with { Timeout = TimeSpan.FromSeconds(5) };

    public ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (ToolArguments.String(invocation.Arguments, "query", 300) is not { } query)
        {
            return ValueTask.FromResult(ToolResult.Failure("Pass the caller's question as query."));
        }

        var hits = knowledge.For(invocation.Call.Profile).Search(query, Passages);
        var results = new JsonArray();
        foreach (var hit in hits)
        {
            results.Add(new JsonObject
            {
                ["title"] = hit.Passage.Title,
                ["text"] = hit.Passage.Text,
                ["source"] = hit.Passage.Source,
            });
        }

        return ValueTask.FromResult(ToolOutput.Success(new JsonObject
        {
            ["results"] = results,
            ["note"] = hits.Count == 0
                ? "No article matches. Tell the caller you do not have that information and offer another way to help."
                : "Answer from these passages only, in your own short words.",
        }));
    }
}
