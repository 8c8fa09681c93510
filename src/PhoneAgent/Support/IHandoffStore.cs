namespace PhoneAgent.Support;

/// <summary>Hand-off summaries and callback requests for the human team.</summary>
internal interface IHandoffStore
{
    ValueTask SaveHandoffAsync(HandoffSummary handoff, CancellationToken cancellationToken);

    /// <summary>The call's newest hand-off summary.</summary>
    ValueTask<HandoffSummary?> FindLatestHandoffAsync(string callSid, CancellationToken cancellationToken);

    /// <summary>Stores a callback request; returns it with its id.</summary>
    ValueTask<CallbackRequest> SaveCallbackAsync(CallbackRequest callback, CancellationToken cancellationToken);

    /// <summary>Callbacks asked for on one call, oldest first.</summary>
    ValueTask<IReadOnlyList<CallbackRequest>> ListCallbacksAsync(string callSid, CancellationToken cancellationToken);
}
