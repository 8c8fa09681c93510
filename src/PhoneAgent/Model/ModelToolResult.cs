using System.Text.Json;

namespace PhoneAgent.Model;

/// <summary>The answer to one <see cref="ToolCallRequested"/>: an output, or an error the model can explain.</summary>
public sealed record ModelToolResult
{
    private ModelToolResult(string callId, string name, JsonElement? output, string? error)
    {
        CallId = callId;
        Name = name;
        Output = output;
        Error = error;
    }

    public string CallId { get; }

    public string Name { get; }

    public JsonElement? Output { get; }

    public string? Error { get; }

    /// <summary>For non-blocking tools: when the model should speak about the result.</summary>
    public ModelToolScheduling? Scheduling { get; init; }

    public static ModelToolResult Success(string callId, string name, JsonElement output) => new(callId, name, output, null);

    public static ModelToolResult Success(string callId, string name, string output) =>
        new(callId, name, JsonSerializer.SerializeToElement(output, ModelJsonContext.Default.String), null);

    public static ModelToolResult Failure(string callId, string name, string error) => new(callId, name, null, error);
}

public enum ModelToolScheduling
{
    /// <summary>Speak about it now, interrupting.</summary>
    Interrupt = 1,

    /// <summary>After the current output (the default for non-blocking tools).</summary>
    WhenIdle = 2,

    /// <summary>Only add to the context.</summary>
    Silent = 3,
}
