using System.Data.Common;

namespace PhoneAgent.Data;

/// <summary>
/// Brings the schema up to date with the provider's embedded migrations, each recorded in <c>schema_migrations</c>.
/// Several instances may start at once: PostgreSQL runs the whole check-and-apply under a session advisory lock,
/// SQLite inside one exclusive transaction, so exactly one runner applies each migration and the others then see it.
/// </summary>
internal sealed partial class DatabaseMigrator(PhoneAgentDatabase database, TimeProvider timeProvider, ILogger<DatabaseMigrator> logger)
{
    /// <summary>The advisory lock's key (any constant shared by every instance): "PhAgMigr" as ASCII.</summary>
    internal const long PostgresLockKey = 0x5068_4167_4D69_6772;

    private const string CreateHistory =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)";

    /// <summary>Applies what is missing; returns the versions this call applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = Migration.For(database.Provider);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return database.Provider == DatabaseProvider.Postgres
            ? await MigratePostgresAsync(connection, migrations, cancellationToken).ConfigureAwait(false)
            : await MigrateSqliteAsync(connection, migrations, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<int>> MigratePostgresAsync(DbConnection connection, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", PostgresLockKey)).ConfigureAwait(false);
        try
        {
            await database.ExecuteAsync(connection, null, CreateHistory, cancellationToken).ConfigureAwait(false);
            var applied = new List<int>();
            foreach (var migration in await MissingAsync(connection, null, migrations, cancellationToken).ConfigureAwait(false))
            {
                // Each migration commits with its history row, so a failure leaves the schema at the last good version.
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ApplyAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration.Version);
            }

            return applied;
        }
        finally
        {
            // Not cancellable: the lock must go even when the start was cancelled (closing the session would free it too).
            await database.ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", PostgresLockKey)).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<int>> MigrateSqliteAsync(DbConnection connection, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        // WAL lets readers run beside the one writer; the setting is stored in the file (a no-op in memory).
        await database.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(connection, null, "BEGIN EXCLUSIVE", cancellationToken).ConfigureAwait(false);
        try
        {
            await database.ExecuteAsync(connection, null, CreateHistory, cancellationToken).ConfigureAwait(false);
            var missing = await MissingAsync(connection, null, migrations, cancellationToken).ConfigureAwait(false);
            foreach (var migration in missing)
            {
                await ApplyAsync(connection, null, migration, cancellationToken).ConfigureAwait(false);
            }

            await database.ExecuteAsync(connection, null, "COMMIT", cancellationToken).ConfigureAwait(false);
            return [.. missing.Select(m => m.Version)];
        }
        catch
        {
            await database.ExecuteAsync(connection, null, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<List<Migration>> MissingAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var done = new HashSet<int>();
        await using (var command = database.Command(connection, transaction, "SELECT version FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                done.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var known = migrations.Select(m => m.Version).ToHashSet();
        if (done.Where(v => !known.Contains(v)).DefaultIfEmpty().Max() is var newest and > 0)
        {
            // A newer build migrated this database (a rolling deploy): keep going, its migrations only add.
            Log.NewerSchema(logger, newest, known.DefaultIfEmpty().Max());
        }

        return [.. migrations.Where(m => !done.Contains(m.Version))];
    }

    private async Task ApplyAsync(DbConnection connection, DbTransaction? transaction, Migration migration, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(connection, transaction,
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)", cancellationToken,
            ("version", migration.Version), ("name", migration.Name),
            ("at", timeProvider.GetUtcNow().UtcDateTime.ToString(SqliteDatabase.TimeFormat, System.Globalization.CultureInfo.InvariantCulture))).ConfigureAwait(false);
        Log.Applied(logger, database.Provider, migration.Version, migration.Name);
    }

    private static partial class Log
    {
        // EventIds 1100-1109 belong to this class.
        [LoggerMessage(1100, LogLevel.Information, "Database ({Provider}): applied migration {Version} {Name}", EventName = "MigrationApplied")]
        public static partial void Applied(ILogger logger, DatabaseProvider provider, int version, string name);

        [LoggerMessage(1101, LogLevel.Warning, "Database schema is at version {Newest}, newer than this build's {Known}; continuing", EventName = "NewerSchema")]
        public static partial void NewerSchema(ILogger logger, int newest, int known);
    }
}
