namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>end_call</c>: the model ends the call. It answers at once and arms the hang-up: the bridge closes the stream
/// (<c>NextAction.Hangup</c>) once the model's goodbye has been played to its last frame, or after
/// <c>limits.endCallTimeout</c>.
/// </summary>
internal sealed class EndCallTool : IToolHandler
{
    public const string Name = "end_call";

    public const string Answer = "The call will end after your goodbye. Say a short goodbye now and nothing else.";

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Ends the phone call. Call it when the conversation is over and the caller has nothing more to ask, or when they ask to hang up. The call ends right after your goodbye has been heard.",
        """
        {
          "type": "object",
          "properties": {
            "reason": { "type": "string", "description": "Why the call ends, in a few words (e.g. 'caller's question answered')." }
          },
          "required": ["reason"]
        }
        """) with { Timeout = TimeSpan.FromSeconds(5) };

    public ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var reason = invocation.Arguments.ValueKind == System.Text.Json.JsonValueKind.Object
            && invocation.Arguments.TryGetProperty("reason", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String
            ? r.GetString()!
            : "the model ended the call";
        invocation.Call.Control.ArmHangup(reason.Length > 200 ? reason[..200] : reason);
        return ValueTask.FromResult(ToolResult.Success(Answer));
    }
}
