namespace PhoneAgent.CallReplay.Calls;

/// <summary>Why a simulated call ended.</summary>
public enum CallEndReason
{
    /// <summary>The caller hung up: the recording was over and the agent quiet for <see cref="FakeTwilioCallerOptions.HangupAfter"/>.</summary>
    CallerHungUp,

    /// <summary>The TwiML said <c>&lt;Hangup/&gt;</c>.</summary>
    TwimlHangup,

    /// <summary>The TwiML ran out of verbs, so Twilio hung up.</summary>
    EndOfTwiml,

    /// <summary>The TwiML said <c>&lt;Reject/&gt;</c>.</summary>
    Rejected,

    /// <summary>A REST update with <c>Status=completed</c> hung up the call.</summary>
    RestHangup,

    /// <summary>A webhook failed or returned something that is not TwiML: Twilio says "an application error has occurred" and hangs up.</summary>
    ApplicationError,

    /// <summary>The call reached <see cref="FakeTwilioCallerOptions.MaxDuration"/>.</summary>
    MaxDuration,

    /// <summary>The caller of <see cref="FakeTwilioCaller.CallAsync"/> cancelled it.</summary>
    Canceled,
}

/// <summary>How a media stream ended.</summary>
public enum StreamEndedBy
{
    /// <summary>The caller hung up: Twilio sent <c>stop</c> and closed the socket.</summary>
    CallerHangup,

    /// <summary>The server closed the socket: the TwiML goes on (<c>&lt;Connect action&gt;</c> or the next verb).</summary>
    Server,

    /// <summary>A REST update replaced the TwiML: Twilio sent <c>stop</c>, closed the socket and ran the new TwiML.</summary>
    RestUpdate,

    /// <summary>A REST update hung up the call.</summary>
    RestHangup,

    /// <summary>The call reached its maximum duration (or was cancelled).</summary>
    CallEnded,

    /// <summary>The server refused the upgrade (error 31920).</summary>
    HandshakeRejected,

    /// <summary>No connection (31901 timeout, 31902 refused), or the TwiML's stream was unusable (31922, 31941).</summary>
    ConnectFailed,

    /// <summary>The connection broke without a close (31903).</summary>
    SocketError,
}
