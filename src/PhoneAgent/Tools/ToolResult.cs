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
