namespace PhoneAgent.Support;

/// <summary>Deletion of personal data: on request (by call or by phone number) and by age (<c>Database:RetentionPeriod</c>).</summary>
internal interface IDataRetention
{
    /// <summary>Deletes the call and everything recorded for it (status history, streams, transcript, audit, hand-off, callbacks, verification). Refunds keep their money trail with the CallSid but lose the free-text reason. Returns rows deleted.</summary>
    ValueTask<int> DeleteCallAsync(string callSid, CancellationToken cancellationToken);

    /// <summary>Deletes every call from or to <paramref name="phoneE164"/> as <see cref="DeleteCallAsync"/> does, and the number's callback requests.</summary>
    ValueTask<int> DeleteByPhoneAsync(string phoneE164, CancellationToken cancellationToken);

    /// <summary>Deletes calls that ended (or started, when they never ended) before <paramref name="cutoff"/>, as <see cref="DeleteCallAsync"/> does.</summary>
    ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
