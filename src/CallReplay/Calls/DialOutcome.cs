namespace PhoneAgent.CallReplay.Calls;

/// <summary>What the party a <c>&lt;Dial&gt;</c> (or the human behind an <c>&lt;Enqueue&gt;</c>) does.</summary>
public enum DialOutcome
{
    /// <summary>Answers, talks for <see cref="FakeTwilioCallerOptions.DialTalkTime"/>, hangs up: <c>DialCallStatus=completed</c>
    /// (<c>QueueResult=bridged</c>).</summary>
    Completed,

    /// <summary>
    /// Nobody answers. <c>&lt;Dial&gt;</c> rings until its <c>timeout</c>: <c>DialCallStatus=no-answer</c>.
    /// <c>&lt;Enqueue&gt;</c> holds the caller on the queue's <c>waitUrl</c> TwiML (requested again each time it ends,
    /// with the time waited) until it answers <c>&lt;Leave/&gt;</c>: <c>QueueResult=leave</c>; with no <c>waitUrl</c>
    /// the caller waits <see cref="FakeTwilioCallerOptions.DialRingTime"/> and is taken out of the queue (<c>leave</c>).
    /// </summary>
    NoAnswer,

    /// <summary>Busy: <c>DialCallStatus=busy</c> (<c>QueueResult=queue-full</c>).</summary>
    Busy,

    /// <summary>The call cannot be placed: <c>DialCallStatus=failed</c> (<c>QueueResult=error</c>).</summary>
    Failed,

    /// <summary>
    /// The caller gives up after <see cref="FakeTwilioCallerOptions.DialRingTime"/> and hangs up: the call ends.
    /// <c>&lt;Enqueue&gt;</c> still reports <c>QueueResult=hangup</c> (with <c>CallStatus=completed</c>) to its action;
    /// <c>&lt;Dial&gt;</c> reports <c>DialCallStatus=canceled</c> with <c>CallStatus=completed</c> (CallReplay's choice:
    /// Twilio does not document this case).
    /// </summary>
    CallerHangsUp,
}
