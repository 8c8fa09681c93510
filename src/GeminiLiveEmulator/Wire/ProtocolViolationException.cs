namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>
/// A client message the service rejects: the session closes with <see cref="CloseCode"/> and <see cref="Reason"/>
/// (what the client sees); <see cref="Exception.Message"/> says why, for the emulator's own log.
/// </summary>
internal sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException()
        : this(CloseReasons.InvalidPayload, CloseReasons.InvalidArgument, "Invalid argument.")
    {
    }

    public ProtocolViolationException(string message)
        : this(CloseReasons.InvalidPayload, CloseReasons.InvalidArgument, message)
    {
    }

    public ProtocolViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        CloseCode = CloseReasons.InvalidPayload;
        Reason = CloseReasons.InvalidArgument;
    }

    public ProtocolViolationException(int closeCode, string reason, string detail)
        : base(detail)
    {
        CloseCode = closeCode;
        Reason = CloseReasons.Truncate(reason);
    }

    public int CloseCode { get; }

    public string Reason { get; }

    /// <summary>1007 "Request contains an invalid argument.", the service's answer to most bad requests.</summary>
    public static ProtocolViolationException InvalidArgument(string detail) =>
        new(CloseReasons.InvalidPayload, CloseReasons.InvalidArgument, detail);

    public static ProtocolViolationException UnknownField(string name, string protoPath) =>
        new(CloseReasons.InvalidPayload, CloseReasons.UnknownField(name, protoPath), $"unknown field \"{name}\" at '{protoPath}'");
}
