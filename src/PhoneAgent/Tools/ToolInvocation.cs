using System.Text.Json;

namespace PhoneAgent.Tools;

/// <summary>One call of a tool by the model.</summary>
/// <param name="CallId">The model's id for this call (answered exactly once, unless cancelled).</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments object, as the model sent it (check it: the model may not follow the schema).</param>
/// <param name="Call">The phone call it belongs to.</param>
internal sealed record ToolInvocation(string CallId, string Name, JsonElement Arguments, ToolCallContext Call);
