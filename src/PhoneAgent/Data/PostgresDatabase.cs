using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace PhoneAgent.Data;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; times are <c>timestamptz</c> (UTC, microseconds).</summary>
internal sealed class PostgresDatabase(string connectionString) : PhoneAgentDatabase
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ForUpdate => " FOR UPDATE";

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Read committed: the stores lock what they change (FOR UPDATE, conditional updates), so nothing retries.
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    public override object ToDb(DateTimeOffset value) => value.ToUniversalTime();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override DbParameter JsonParameter(string name, string? json) =>
        new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = (object?)json ?? DBNull.Value };

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
