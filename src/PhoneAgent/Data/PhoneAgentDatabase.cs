using System.Data.Common;

namespace PhoneAgent.Data;

/// <summary>
/// The one place that knows which database is behind the stores: it opens connections, starts write transactions
/// and converts the few values the two providers store differently (times, JSON). The stores' SQL is shared: both
/// providers take <c>@name</c> parameters, <c>INSERT … ON CONFLICT</c> and <c>RETURNING</c>.
/// </summary>
internal abstract class PhoneAgentDatabase : IAsyncDisposable, IDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Appended to a <c>SELECT</c> that must lock the rows it reads until the transaction ends (PostgreSQL); SQLite's write transaction already holds the database's single write lock.</summary>
    public abstract string ForUpdate { get; }

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that will write: on SQLite it takes the write lock at once (<c>BEGIN IMMEDIATE</c>), so two writers never deadlock on a lock upgrade.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A read-only transaction that sees one snapshot (for a record read with several queries).</summary>
    public abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>How a time is passed as a parameter.</summary>
    public abstract object ToDb(DateTimeOffset value);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>A JSON document as a parameter (<c>jsonb</c> on PostgreSQL, text on SQLite).</summary>
    public abstract DbParameter JsonParameter(string name, string? json);

    public DateTimeOffset? ReadTimeOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>A command on <paramref name="connection"/> with parameters <c>@name</c> (<see langword="null"/> becomes SQL NULL, times are converted).</summary>
    public DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (value is DbParameter ready)
            {
                command.Parameters.Add(ready);
                continue;
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value switch
            {
                null => DBNull.Value,
                DateTimeOffset time => ToDb(time),
                _ => value,
            };
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async ValueTask<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>For containers disposed synchronously; the providers release their pools without waiting on I/O either way.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
