using Microsoft.Extensions.Logging.Abstractions;
using PhoneAgent.Data;

namespace PhoneAgent.Tests.Data.Testing;

/// <summary>Migrated, empty databases for store tests.</summary>
internal static class TestDatabases
{
    /// <summary>The tables the stores write, emptied between the tests of a class that shares one PostgreSQL database.</summary>
    private const string TruncateAll =
        "TRUNCATE refunds, orders, customers, tool_audit, call_status_history, streams, transcripts, handoffs, callbacks, call_verifications, calls RESTART IDENTITY";

    /// <summary>A new SQLite file in <paramref name="folder"/>, migrated.</summary>
    public static async Task<PhoneAgentDatabase> SqliteAsync(string folder, TimeProvider? time = null)
    {
        var database = new SqliteDatabase($"Data Source={Path.Combine(folder, Guid.NewGuid().ToString("N") + ".db")}", folder, TimeSpan.FromSeconds(30));
        await new DatabaseMigrator(database, time ?? TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        return database;
    }

    /// <summary>The class's PostgreSQL database, migrated and emptied (skips the test when there is no server).</summary>
    public static async Task<PhoneAgentDatabase> PostgresAsync(PostgresDatabaseFixture fixture, TimeProvider? time = null)
    {
        PostgresTestServer.RequireOrSkip();
        var database = new PostgresDatabase(fixture.ConnectionString!);
        await new DatabaseMigrator(database, time ?? TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        await using var connection = await database.OpenAsync(default);
        await database.ExecuteAsync(connection, null, TruncateAll, default);
        return database;
    }
}

/// <summary>A temporary folder, deleted with everything in it.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "phoneagent-test-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the OS temp cleaner takes it.
        }
    }
}
