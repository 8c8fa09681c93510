namespace PhoneAgent.Calls;

/// <summary>
/// Call records shared by every instance of the service. The in-memory store serves one instance; the
/// support-workflows issue adds a database one behind this interface.
/// </summary>
/// <remarks>
/// Semantics every implementation keeps (several instances may handle one call: the webhook on one, the socket on
/// another):
/// <list type="bullet">
/// <item><see cref="GetOrCreateAsync"/> is idempotent on CallSid (Twilio retries webhooks).</item>
/// <item><see cref="IssueStreamAsync"/> is a compare-and-set on the current stream's ordinal, so two deliveries of one
/// connect-action never issue two streams.</item>
/// <item><see cref="ClaimStreamAsync"/> is an atomic test-and-set: a stream token works once (one write per stream,
/// not per frame).</item>
/// <item><see cref="TrySetNextActionAsync"/>, <see cref="EndStreamAsync"/> and the call's end reason are first writer
/// wins.</item>
/// </list>
/// </remarks>
internal interface ICallStore
{
    /// <summary>Creates the call's record, or returns the existing one.</summary>
    ValueTask<CallRecord> GetOrCreateAsync(NewCall call, CancellationToken cancellationToken);

    ValueTask<CallRecord?> FindAsync(string callSid, CancellationToken cancellationToken);

    /// <summary>
    /// Issues stream <paramref name="ordinal"/>: appended when the current stream is <paramref name="ordinal"/> − 1
    /// (or there is none and it is 1); refreshed when it is the current stream and not yet claimed (a retried webhook).
    /// Otherwise <see langword="null"/>: someone else moved the call on.
    /// </summary>
    ValueTask<StreamRecord?> IssueStreamAsync(string callSid, int ordinal, DateTimeOffset issuedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Marks stream <paramref name="ordinal"/> as started by <paramref name="streamSid"/>, once.</summary>
    ValueTask<StreamClaim> ClaimStreamAsync(string callSid, int ordinal, string streamSid, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records what the call does after stream <paramref name="ordinal"/>; <see langword="false"/> when one is recorded already.</summary>
    ValueTask<bool> TrySetNextActionAsync(string callSid, int ordinal, NextAction action, CancellationToken cancellationToken);

    /// <summary>Records how stream <paramref name="ordinal"/> ended (first writer wins).</summary>
    ValueTask EndStreamAsync(string callSid, int ordinal, StreamEndReason reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a status event; a terminal call status (completed, busy, failed, no-answer, canceled) also ends the call.
    /// <see langword="false"/> when the call is unknown.
    /// </summary>
    ValueTask<bool> AddStatusAsync(string callSid, CallStatusEvent status, CancellationToken cancellationToken);

    /// <summary>Appends transcript lines to the call (a call with several streams gets each stream's lines in turn).</summary>
    ValueTask AppendTranscriptAsync(string callSid, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken);

    /// <summary>Records the call's recording id (first writer wins); <see langword="false"/> when the call is unknown.</summary>
    ValueTask<bool> SetRecordingAsync(string callSid, string recordingSid, CancellationToken cancellationToken);

    /// <summary>Sets the call's end reason and time unless already set.</summary>
    ValueTask<bool> TrySetEndReasonAsync(string callSid, string reason, DateTimeOffset at, CancellationToken cancellationToken);
}
