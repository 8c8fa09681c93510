namespace PhoneAgent.Tools;

/// <summary>
/// One tool the model may call. Handlers are singletons registered with <see cref="ToolsBuilder.AddTool{THandler}"/>;
/// <see cref="ToolRegistry"/> checks every <see cref="Declaration"/> once at start (duplicate names or invalid schemas
/// stop the service).
/// </summary>
internal interface IToolHandler
{
    /// <summary>Name, description, JSON schema of the arguments, blocking and timeout.</summary>
    ToolDeclaration Declaration { get; }

    /// <summary>
    /// Runs one call. Runs off the audio path, under <see cref="ToolDeclaration.Timeout"/>; the token is cancelled on
    /// timeout, on <c>toolCallCancellation</c> and on hang-up. An exception becomes a model-readable error; a
    /// <see cref="ToolException"/>'s message is shown to the model as it is.
    /// </summary>
    ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken);
}
