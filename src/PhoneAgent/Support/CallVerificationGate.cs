namespace PhoneAgent.Support;

/// <summary>
/// The one place the support tools ask "who is this caller?". The answer comes from the call's verification record
/// (keyed by the CallSid of the call context), never from anything the model says.
/// </summary>
internal sealed class CallVerificationGate(ICallVerificationStore verifications, ICustomerDirectory customers)
{
    /// <summary>The call's verification state and, when verified, the account.</summary>
    public async ValueTask<(CallVerification State, Customer? Customer)> CheckAsync(string callSid, CancellationToken cancellationToken)
    {
        var state = await verifications.GetAsync(callSid, cancellationToken);
        if (!state.IsVerified)
        {
            return (state, null);
        }

        // An account deleted since verification no longer counts.
        var customer = await customers.FindByIdAsync(state.CustomerId!, cancellationToken);
        return (state, customer);
    }
}
