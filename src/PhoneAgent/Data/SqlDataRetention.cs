using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary>
/// <see cref="IDataRetention"/>: deletes calls with everything recorded for them, in one transaction per request.
/// Refunds stay (they are the money trail, with CallSid, order and amount) but lose their free-text reason.
/// </summary>
internal sealed class SqlDataRetention(PhoneAgentDatabase database) : IDataRetention
{
    // Tables keyed by CallSid, children of calls first (the foreign keys point at calls).
    private static readonly string[] CallTables =
        ["transcripts", "streams", "call_status_history", "tool_audit", "handoffs", "callbacks", "call_verifications", "calls"];

    public ValueTask<int> DeleteCallAsync(string callSid, CancellationToken cancellationToken) =>
        DeleteAsync("call_sid = @sid", [("sid", callSid)], extra: [], cancellationToken);

    public ValueTask<int> DeleteByPhoneAsync(string phoneE164, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        return DeleteAsync("call_sid IN (SELECT call_sid FROM calls WHERE from_number = @phone OR to_number = @phone)", [("phone", phoneE164)],
            extra: ["DELETE FROM callbacks WHERE phone_e164 = @phone"], cancellationToken);
    }

    public ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        DeleteAsync("call_sid IN (SELECT call_sid FROM calls WHERE COALESCE(ended_at, created_at) < @cutoff)", [("cutoff", cutoff)],
            extra:
            [
                // Rows of calls that were never recorded in calls (or were deleted before) age out on their own time.
                "DELETE FROM tool_audit WHERE at < @cutoff",
                "DELETE FROM handoffs WHERE created_at < @cutoff",
                "DELETE FROM callbacks WHERE created_at < @cutoff",
                "DELETE FROM call_verifications WHERE updated_at < @cutoff",
            ],
            cancellationToken,
            refundFilter: "created_at < @cutoff");

    private async ValueTask<int> DeleteAsync(string callFilter, (string Name, object? Value)[] parameters, string[] extra, CancellationToken cancellationToken, string? refundFilter = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

        // The filter reads calls, so the refunds go first, while the calls they name are still there.
        await database.ExecuteAsync(connection, transaction,
            $"UPDATE refunds SET reason = '' WHERE reason <> '' AND ({callFilter}{(refundFilter is null ? "" : " OR " + refundFilter)})",
            cancellationToken, parameters).ConfigureAwait(false);

        var deleted = 0;
        foreach (var table in CallTables)
        {
            // Children select their calls before the calls go; the calls table is last.
            deleted += await database.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE {callFilter}", cancellationToken, parameters).ConfigureAwait(false);
        }

        foreach (var statement in extra)
        {
            deleted += await database.ExecuteAsync(connection, transaction, statement, cancellationToken, parameters).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
