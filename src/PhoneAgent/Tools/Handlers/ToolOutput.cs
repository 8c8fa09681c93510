using System.Text.Json;
using System.Text.Json.Nodes;

namespace PhoneAgent.Tools.Handlers;

/// <summary>Builds tool outputs from <see cref="JsonObject"/>s (snake_case keys, as the arguments are).</summary>
internal static class ToolOutput
{
    public static ToolResult Success(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var document = JsonDocument.Parse(output.ToJsonString());
        return ToolResult.Success(document.RootElement.Clone());
    }
}
