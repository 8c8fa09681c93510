namespace PhoneAgent.Model;

/// <summary>Why a session ended for good, with the provider's last close code and reason when there was one.</summary>
public sealed record ModelSessionEnd(ModelSessionEndReason Reason, int? CloseCode = null, string? CloseReason = null, Exception? Error = null)
{
    /// <summary>The call should go to the profile's fallback (everything except a deliberate close).</summary>
    public bool IsFailure => Reason != ModelSessionEndReason.ClosedByClient;
}

public enum ModelSessionEndReason
{
    /// <summary><see cref="IRealtimeModelSession.CloseAsync"/> or dispose.</summary>
    ClosedByClient = 1,

    /// <summary>The model refused the setup (bad configuration or model): never retried.</summary>
    SetupRejected = 2,

    /// <summary>Reconnecting was given up (attempts or time exhausted).</summary>
    ReconnectFailed = 3,

    /// <summary>The provider kept rejecting the session (repeated policy/argument closes).</summary>
    RejectedByProvider = 4,

    /// <summary>Credentials could not be obtained.</summary>
    AuthenticationFailed = 5,

    /// <summary>A bug or unexpected failure in the client.</summary>
    InternalError = 6,
}

/// <summary>A session could not start or continue; <see cref="End"/> says why.</summary>
public sealed class ModelSessionException : Exception
{
    public ModelSessionException()
        : this(new ModelSessionEnd(ModelSessionEndReason.InternalError))
    {
    }

    public ModelSessionException(string message)
        : base(message) => End = new ModelSessionEnd(ModelSessionEndReason.InternalError);

    public ModelSessionException(string message, Exception innerException)
        : base(message, innerException) => End = new ModelSessionEnd(ModelSessionEndReason.InternalError, Error: innerException);

    public ModelSessionException(ModelSessionEnd end)
        : base(Describe(end), end?.Error) => End = end!;

    public ModelSessionEnd End { get; }

    private static string Describe(ModelSessionEnd? end) => end is null
        ? "The model session ended."
        : end.CloseCode is { } code
            ? $"The model session ended: {end.Reason} (close {code} '{end.CloseReason}')."
            : $"The model session ended: {end.Reason}{(end.Error is null ? "" : $" ({end.Error.Message})")}.";
}
