namespace PhoneAgent.Model.Gemini;

/// <summary>When in a connection's life it ended.</summary>
public enum GeminiConnectionPhase
{
    /// <summary>Answering a setup without a handle (a new or fresh seeded session).</summary>
    FreshSetup = 1,

    /// <summary>Answering a setup that carried a resumption handle, the previous socket already gone.</summary>
    ResumeSetup = 2,

    /// <summary>Answering a setup with a handle while the previous socket is still open (goAway hand-over).</summary>
    ResumeSetupWhileOldOpen = 3,

    /// <summary>After setupComplete.</summary>
    Established = 4,
}

/// <summary>How a connection ended, reduced to what the policy needs.</summary>
public enum GeminiCloseKind
{
    /// <summary>No close frame: reset, abort, TLS or TCP failure, or a failed HTTP upgrade (browsers see 1006).</summary>
    TransportLost = 1,

    /// <summary>1000 normal closure (seen as a normal, reconnectable end; Vertex "The operation was cancelled.").</summary>
    Normal = 2,

    /// <summary>1011 internal error / unavailable / deadline expired, and the other "try again" codes (1001, 1012, 1013, 1014).</summary>
    ServerError = 3,

    /// <summary>1007 invalid argument / payload.</summary>
    InvalidArgument = 4,

    /// <summary>1008 policy violation (model not found, not implemented, entity not found).</summary>
    PolicyViolation = 5,

    /// <summary>Any other close code (1002, 1003, 1009, 1010, 4xxx): treated like 1007/1008.</summary>
    Other = 6,

    /// <summary>The connect attempt was refused or timed out (no WebSocket yet): triggers region fail-over.</summary>
    ConnectRefused = 7,
}

/// <summary>What to do next.</summary>
public enum GeminiCloseAction
{
    /// <summary>Reconnect with the newest handle through the backoff pipeline (a fresh seeded session when there is none).</summary>
    ReconnectWithHandle = 1,

    /// <summary>Retry the same setup through the backoff pipeline (fresh setups that failed transiently).</summary>
    RetrySame = 2,

    /// <summary>Reconnect with the handle once; if the provider rejects the session again it is fatal.</summary>
    ReconnectWithHandleOnce = 3,

    /// <summary>The handle was refused: one fresh session seeded with the conversation so far; fatal if refused again.</summary>
    SeedFresh = 4,

    /// <summary>Resume refused while the old socket was open: close the old socket, retry the same handle once, then seed fresh.</summary>
    CloseOldAndRetryHandle = 5,

    /// <summary>Give up: bad configuration or wrong model, the call goes to the profile's fallback. Never a retry loop.</summary>
    Fatal = 6,
}

/// <summary>
/// The close-code policy (issue 3, "Continuity"), as a table of (phase, close kind) → action. Codes map to kinds in
/// <see cref="Classify"/>; the supervisor in <see cref="GeminiLiveSession"/> carries the actions out and enforces the
/// "once" limits (one handle retry after 1007/1008 mid-session, one seeded session, one retry after a refused
/// hand-over).
/// </summary>
/// <remarks>
/// <code>
///  phase \ kind              transport/1000/1011     1007 / 1008 / other          refused/timeout connect
///  FreshSetup                RetrySame               Fatal                        RetrySame (next region)
///  ResumeSetup               ReconnectWithHandle     SeedFresh                    ReconnectWithHandle (next region ⇒ SeedFresh)
///  ResumeSetupWhileOldOpen   ReconnectWithHandle     CloseOldAndRetryHandle       ReconnectWithHandle (next region ⇒ SeedFresh)
///  Established               ReconnectWithHandle     ReconnectWithHandleOnce      n/a
/// </code>
/// </remarks>
internal static class GeminiClosePolicy
{
    public static GeminiCloseKind Classify(int? closeCode) => closeCode switch
    {
        null or 1005 or 1006 => GeminiCloseKind.TransportLost,
        1000 => GeminiCloseKind.Normal,
        1001 or 1011 or 1012 or 1013 or 1014 => GeminiCloseKind.ServerError,
        1007 => GeminiCloseKind.InvalidArgument,
        1008 => GeminiCloseKind.PolicyViolation,
        _ => GeminiCloseKind.Other,
    };

    public static GeminiCloseAction Decide(GeminiConnectionPhase phase, GeminiCloseKind kind)
    {
        var rejected = kind is GeminiCloseKind.InvalidArgument or GeminiCloseKind.PolicyViolation or GeminiCloseKind.Other;
        return phase switch
        {
            GeminiConnectionPhase.FreshSetup => rejected ? GeminiCloseAction.Fatal : GeminiCloseAction.RetrySame,
            GeminiConnectionPhase.ResumeSetup => rejected ? GeminiCloseAction.SeedFresh : GeminiCloseAction.ReconnectWithHandle,
            GeminiConnectionPhase.ResumeSetupWhileOldOpen => rejected ? GeminiCloseAction.CloseOldAndRetryHandle : GeminiCloseAction.ReconnectWithHandle,
            GeminiConnectionPhase.Established => rejected ? GeminiCloseAction.ReconnectWithHandleOnce : GeminiCloseAction.ReconnectWithHandle,
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
        };
    }

    public static GeminiCloseAction Decide(GeminiConnectionPhase phase, int? closeCode) => Decide(phase, Classify(closeCode));
}
