using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PhoneAgent.Data;
using PhoneAgent.Tests.Data.Testing;

namespace PhoneAgent.Tests.Data;

/// <summary>The two migration histories stay equivalent, and several instances can migrate one database at once.</summary>
public sealed class MigrationTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Both_providers_have_the_same_tables_columns_and_unique_keys()
    {
        PostgresTestServer.RequireOrSkip();
        await using var sqlite = await TestDatabases.SqliteAsync(_folder.Path);
        await using var postgres = new PostgresDatabase(await FreshDatabaseAsync("schema"));
        await Migrator(postgres).MigrateAsync(default);

        var sqliteSchema = await SqliteSchemaAsync(sqlite);
        var postgresSchema = await PostgresSchemaAsync(postgres);

        Assert.Equal(
            ["call_status_history", "call_verifications", "callbacks", "calls", "customers", "handoffs", "orders", "refunds", "schema_migrations", "streams", "tool_audit", "transcripts"],
            sqliteSchema.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(sqliteSchema.Keys.Order(StringComparer.Ordinal), postgresSchema.Keys.Order(StringComparer.Ordinal));
        foreach (var (table, shape) in sqliteSchema)
        {
            // The table name in each string says which table differs.
            Assert.Equal($"{table}: {string.Join(' ', shape.Columns)}", $"{table}: {string.Join(' ', postgresSchema[table].Columns)}");
            Assert.Equal($"{table}: {string.Join(" | ", shape.UniqueKeys)}", $"{table}: {string.Join(" | ", postgresSchema[table].UniqueKeys)}");
        }

        Assert.Contains("call_sid,order_id", sqliteSchema["refunds"].UniqueKeys);
        Assert.Contains("call_sid,ordinal", sqliteSchema["streams"].UniqueKeys);
    }

    [SkippableFact]
    public async Task Four_instances_migrating_a_fresh_postgres_database_at_once_apply_each_migration_once()
    {
        PostgresTestServer.RequireOrSkip();
        var connectionString = await FreshDatabaseAsync("race");
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(connectionString)).ToList();

        var applied = await Task.WhenAll(databases.Select(d => Task.Run(async () => await Migrator(d).MigrateAsync(default))));

        var all = Migration.For(DatabaseProvider.Postgres).Select(m => m.Version).ToList();
        Assert.Equal(all, applied.SelectMany(a => a).Order());
        Assert.Single(applied, a => a.Count > 0);
        Assert.Equal(all, await VersionsAsync(databases[0]));
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Four_instances_migrating_a_fresh_sqlite_file_at_once_apply_each_migration_once()
    {
        var connectionString = $"Data Source={Path.Combine(_folder.Path, "race.db")}";
        var databases = Enumerable.Range(0, 4).Select(_ => new SqliteDatabase(connectionString, _folder.Path, TimeSpan.FromSeconds(30))).ToList();

        var applied = await Task.WhenAll(databases.Select(d => Task.Run(async () => await Migrator(d).MigrateAsync(default))));

        var all = Migration.For(DatabaseProvider.Sqlite).Select(m => m.Version).ToList();
        Assert.Equal(all, applied.SelectMany(a => a).Order());
        Assert.Equal(all, await VersionsAsync(databases[0]));
        Assert.Empty(await Migrator(databases[0]).MigrateAsync(default)); // and again later: nothing to do
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public void Both_providers_have_the_same_migration_versions_and_names()
    {
        Assert.Equal(
            Migration.For(DatabaseProvider.Sqlite).Select(m => (m.Version, m.Name)),
            Migration.For(DatabaseProvider.Postgres).Select(m => (m.Version, m.Name)));
        Assert.NotEmpty(Migration.For(DatabaseProvider.Sqlite));
    }

    private static DatabaseMigrator Migrator(PhoneAgentDatabase database) => new(database, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);

    /// <summary>A second, empty database next to the class's (the class fixture's one may be migrated already).</summary>
    private async Task<string> FreshDatabaseAsync(string suffix)
    {
        var builder = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        var name = builder.Database + "_" + suffix;
        await using (var admin = new NpgsqlConnection(PostgresTestServer.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        fixture.AlsoDrop(name);
        builder.Database = name;
        return builder.ConnectionString;
    }

    private static async Task<List<int>> VersionsAsync(PhoneAgentDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        return await ReadAsync(connection, "SELECT version FROM schema_migrations ORDER BY version", r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record TableShape(List<string> Columns, List<string> UniqueKeys);

    private static async Task<Dictionary<string, TableShape>> SqliteSchemaAsync(PhoneAgentDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        var schema = new Dictionary<string, TableShape>();
        foreach (var table in await ReadAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0)))
        {
            var columns = await ReadAsync(connection, $"SELECT name, pk FROM pragma_table_info('{table}')", r => (Name: r.GetString(0), Pk: r.GetInt32(1)));
            var keys = new List<string> { string.Join(',', columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name)) };
            foreach (var index in await ReadAsync(connection, $"SELECT name FROM pragma_index_list('{table}') WHERE \"unique\" = 1 AND origin <> 'pk'", r => r.GetString(0)))
            {
                keys.Add(string.Join(',', await ReadAsync(connection, $"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno", r => r.GetString(0))));
            }

            schema[table] = new TableShape([.. columns.Select(c => c.Name).Order(StringComparer.Ordinal)], [.. keys.Order(StringComparer.Ordinal)]);
        }

        return schema;
    }

    private static async Task<Dictionary<string, TableShape>> PostgresSchemaAsync(PhoneAgentDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        var columns = await ReadAsync(connection,
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()",
            r => (Table: r.GetString(0), Column: r.GetString(1)));
        var keys = await ReadAsync(connection,
            """
            SELECT t.relname, string_agg(a.attname, ',' ORDER BY k.n)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace ns ON ns.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE ns.nspname = current_schema() AND i.indisunique
            GROUP BY t.relname, i.indexrelid
            """, r => (Table: r.GetString(0), Key: r.GetString(1)));
        return columns.GroupBy(c => c.Table).ToDictionary(
            g => g.Key,
            g => new TableShape([.. g.Select(c => c.Column).Order(StringComparer.Ordinal)], [.. keys.Where(k => k.Table == g.Key).Select(k => k.Key).Order(StringComparer.Ordinal)]));
    }

    private static async Task<List<T>> ReadAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        var rows = new List<T>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
