namespace PhoneAgent.Tools;

/// <summary>Thrown by a handler with a message meant for the model (and so for the caller's ears): no internals, no PII.</summary>
internal sealed class ToolException : Exception
{
    public ToolException()
    {
    }

    public ToolException(string message)
        : base(message)
    {
    }

    public ToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
