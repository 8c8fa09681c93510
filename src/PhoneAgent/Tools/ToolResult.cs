using System.Text.Json;

namespace PhoneAgent.Tools;

/// <summary>What a tool returns: an output object for the model, or an error the model can explain to the caller.</summary>
internal sealed record ToolResult
{
    private ToolResult(JsonElement? output, string? error)
    {
        Output = output;
        Error = error;
    }

    public JsonElement? Output { get; }

    public string? Error { get; }

    public bool IsError => Error is not null;

    /// <summary>
    /// What the call changed in the world (e.g. "refunded 25.00 USD on order A1001"), when it did. If the answer can
    /// no longer be delivered (the model's connection was replaced while the tool ran), the bridge tells the model
    /// this instead, on the channel of the barge-in note, and the audit log marks it.
    /// </summary>
    public string? Effect { get; init; }

    public static ToolResult Success(JsonElement output) => new(output, null);

    /// <summary>A plain-text output (sent as a JSON string).</summary>
    public static ToolResult Success(string text) => new(JsonSerializer.SerializeToElement(text, ToolJsonContext.Default.String), null);

    /// <summary>An error for the model, in words it can pass on ("the order number was not found").</summary>
    public static ToolResult Failure(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(null, error);
    }
}
