namespace PhoneAgent.AgentProfiles;

/// <summary>The profiles folder is unusable. <see cref="Errors"/> lists every problem found, each naming file and key.</summary>
internal sealed class AgentProfileLoadException : Exception
{
    public AgentProfileLoadException()
        : this([])
    {
    }

    public AgentProfileLoadException(string message)
        : this([message])
    {
    }

    public AgentProfileLoadException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public AgentProfileLoadException(IReadOnlyList<string> errors)
        : base(Format(errors)) => Errors = errors;

    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors) =>
        $"Agent profiles are invalid ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}):{Environment.NewLine}"
        + string.Join(Environment.NewLine, errors.Select(e => $"  - {e}"));
}
