namespace PhoneAgent.Model;

/// <summary>
/// Token usage in one model: the Developer API's <c>responseTokenCount</c>/<c>responseTokensDetails</c> and Vertex's
/// <c>candidatesTokenCount</c>/<c>candidatesTokensDetails</c> both land in <see cref="ResponseTokens"/> and
/// <see cref="ResponseByModality"/>. Missing counts are 0 (proto3 omits zeros).
/// </summary>
public sealed record ModelUsage
{
    public long PromptTokens { get; init; }

    public long CachedTokens { get; init; }

    public long ResponseTokens { get; init; }

    public long ToolUsePromptTokens { get; init; }

    public long ThoughtsTokens { get; init; }

    public long TotalTokens { get; init; }

    public IReadOnlyList<ModelModalityTokens> PromptByModality { get; init; } = [];

    public IReadOnlyList<ModelModalityTokens> CachedByModality { get; init; } = [];

    public IReadOnlyList<ModelModalityTokens> ResponseByModality { get; init; } = [];

    public IReadOnlyList<ModelModalityTokens> ToolUsePromptByModality { get; init; } = [];

    /// <summary>Vertex only (e.g. <c>ON_DEMAND</c>, <c>PROVISIONED_THROUGHPUT</c>).</summary>
    public string? TrafficType { get; init; }
}

/// <param name="Modality"><c>TEXT</c>, <c>AUDIO</c>, <c>IMAGE</c>, <c>VIDEO</c>, …</param>
/// <param name="Tokens">Token count (0 when the provider omitted it).</param>
public sealed record ModelModalityTokens(string Modality, long Tokens);
