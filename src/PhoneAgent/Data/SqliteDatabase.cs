using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PhoneAgent.Data;

/// <summary>
/// The embedded SQLite file. Times are stored as fixed-width UTC text (<see cref="TimeFormat"/>) so that comparing the
/// text compares the times; every connection waits up to the busy timeout for another writer's lock.
/// </summary>
internal sealed class SqliteDatabase : PhoneAgentDatabase
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly string _connectionString;
    private readonly string _openPragmas;

    public SqliteDatabase(string connectionString, string contentRoot, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var source = builder.DataSource;
        if (source.Length > 0 && source != ":memory:" && !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && builder.Mode != SqliteOpenMode.Memory)
        {
            // A relative file lives under the content root (not wherever the process was started), and its folder is created.
            source = Path.GetFullPath(source, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            builder.DataSource = source;
        }

        FilePath = builder.Mode == SqliteOpenMode.Memory || source == ":memory:" ? null : source;
        _connectionString = builder.ToString();
        _openPragmas = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ForUpdate => "";

    /// <summary>The database file, or <see langword="null"/> for an in-memory database.</summary>
    public string? FilePath { get; }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = _openPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Serializable and not deferred is BEGIN IMMEDIATE in Microsoft.Data.Sqlite.
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);

    public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Deferred: a plain BEGIN, which in WAL mode reads one snapshot without blocking the writer.
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override object ToDb(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override DbParameter JsonParameter(string name, string? json) =>
        new SqliteParameter(name, (object?)json ?? DBNull.Value);

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release this database's (and only this database's).
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
