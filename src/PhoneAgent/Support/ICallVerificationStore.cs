namespace PhoneAgent.Support;

/// <summary>Per-call verification state (<c>call_verifications</c> table). Each write is atomic.</summary>
internal interface ICallVerificationStore
{
    /// <summary>The call's state; a call with no attempt yet has 0 failures.</summary>
    ValueTask<CallVerification> GetAsync(string callSid, CancellationToken cancellationToken);

    /// <summary>Records a success, unless the call is locked (then the stored, locked state is returned unchanged).</summary>
    ValueTask<CallVerification> RecordSuccessAsync(string callSid, string customerId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Adds one failure atomically; locks the call when the failures reach <paramref name="maxAttempts"/>.</summary>
    ValueTask<CallVerification> RecordFailureAsync(string callSid, int maxAttempts, DateTimeOffset at, CancellationToken cancellationToken);
}
