namespace PhoneAgent.CallReplay.Calls;

/// <summary>What the party a <c>&lt;Dial&gt;</c> (or the human behind an <c>&lt;Enqueue&gt;</c>) does.</summary>
public enum DialOutcome
{
    /// <summary>Answers, talks for <see cref="FakeTwilioCallerOptions.DialTalkTime"/>, hangs up: <c>DialCallStatus=completed</c>
    /// (<c>QueueResult=bridged</c>).</summary>
    Completed,

    /// <summary>Rings until the <c>timeout</c>: <c>DialCallStatus=no-answer</c> (<c>QueueResult=hangup</c>).</summary>
    NoAnswer,

    /// <summary>Busy: <c>DialCallStatus=busy</c> (<c>QueueResult=queue-full</c>).</summary>
    Busy,

    /// <summary>The call cannot be placed: <c>DialCallStatus=failed</c> (<c>QueueResult=error</c>).</summary>
    Failed,
}
