using System.Data.Common;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary>
/// <see cref="ICallVerificationStore"/> on <c>call_verifications</c>. Every change is one upsert whose
/// <c>WHERE locked_at IS NULL</c> makes a lock final: counting runs in the database, so two attempts at once (two
/// instances, a retry) both count, and the one that reaches the limit locks the call.
/// </summary>
internal sealed class SqlCallVerificationStore(PhoneAgentDatabase database) : ICallVerificationStore
{
    private const string Columns = "call_sid, customer_id, failed_attempts, verified_at, locked_at";

    public async ValueTask<CallVerification> GetAsync(string callSid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, $"SELECT {Columns} FROM call_verifications WHERE call_sid = @sid", cancellationToken, ("sid", callSid)).ConfigureAwait(false)
            ?? new CallVerification(callSid, null, 0, null, null);
    }

    public async ValueTask<CallVerification> RecordSuccessAsync(string callSid, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection,
            $"""
            INSERT INTO call_verifications (call_sid, customer_id, failed_attempts, verified_at, updated_at)
            VALUES (@sid, @customer, 0, @at, @at)
            ON CONFLICT (call_sid) DO UPDATE SET customer_id = @customer, verified_at = @at, updated_at = @at
            WHERE call_verifications.locked_at IS NULL
            RETURNING {Columns}
            """, cancellationToken, ("sid", callSid), ("customer", customerId), ("at", at)).ConfigureAwait(false)
            ?? await GetAsync(callSid, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<CallVerification> RecordFailureAsync(string callSid, int maxAttempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAttempts);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection,
            $"""
            INSERT INTO call_verifications (call_sid, customer_id, failed_attempts, locked_at, updated_at)
            VALUES (@sid, NULL, 1, CASE WHEN 1 >= @max THEN @at END, @at)
            ON CONFLICT (call_sid) DO UPDATE SET
                failed_attempts = call_verifications.failed_attempts + 1,
                locked_at = CASE WHEN call_verifications.failed_attempts + 1 >= @max THEN @at END,
                updated_at = @at
            WHERE call_verifications.locked_at IS NULL
            RETURNING {Columns}
            """, cancellationToken, ("sid", callSid), ("max", maxAttempts), ("at", at)).ConfigureAwait(false)
            ?? await GetAsync(callSid, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<CallVerification?> ReadAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = database.Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new CallVerification(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                database.ReadTimeOrNull(reader, 3), database.ReadTimeOrNull(reader, 4))
            : null;
    }
}
