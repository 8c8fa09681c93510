using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>A function call the model makes: <c>{"name": "lookup_order", "args": {"orderId": "A17"}}</c>.</summary>
public sealed class ScenarioToolCall
{
    public required string Name { get; set; }

    /// <summary>The call's arguments (a JSON object); none means <c>{}</c>.</summary>
    public JsonElement? Args { get; set; }
}
