namespace PhoneAgent.Support;

/// <summary>
/// Who a call has proved to be. Kept in the database (not in the bridge) so a reconnect, possibly on another
/// instance, keeps the verification and the count of failed attempts.
/// </summary>
/// <param name="CallSid">The call.</param>
/// <param name="CustomerId">The verified account; <see langword="null"/> until verified.</param>
/// <param name="FailedAttempts">Failed attempts so far in this call.</param>
/// <param name="VerifiedAt">When the call was verified.</param>
/// <param name="LockedAt">When the call was locked out (too many failures); a locked call never verifies.</param>
internal sealed record CallVerification(string CallSid, string? CustomerId, int FailedAttempts, DateTimeOffset? VerifiedAt, DateTimeOffset? LockedAt)
{
    public bool IsVerified => CustomerId is not null && LockedAt is null;

    public bool IsLocked => LockedAt is not null;
}
