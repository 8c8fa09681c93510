using System.Text.Json;

namespace PhoneAgent.Tools;

/// <summary>What the model is told about a tool, and how the bridge runs it.</summary>
/// <param name="Name">Unique; letters, digits, <c>_</c>, <c>.</c> and <c>-</c>, starting with a letter or <c>_</c>, at most 64 characters.</param>
/// <param name="Description">What it does and when to call it, for the model.</param>
/// <param name="Parameters">JSON Schema of the arguments object (the OpenAPI subset Gemini takes; see <see cref="ToolSchemaValidator"/>).</param>
internal sealed record ToolDeclaration(string Name, string Description, JsonElement Parameters)
{
    /// <summary>The default per-call timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The model waits silently for the answer (the hold cue plays after a while); false lets it keep talking.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Blocking { get; init; } = true;

    /// <summary>An unanswered call is answered with a timeout error after this long; 100 ms..5 min.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Parses <paramref name="schemaJson"/> (a JSON object) into a declaration.</summary>
    public static ToolDeclaration Create(string name, string description, string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        return new ToolDeclaration(name, description, document.RootElement.Clone());
    }
}
