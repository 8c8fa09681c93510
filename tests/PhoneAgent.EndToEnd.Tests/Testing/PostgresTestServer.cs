using Npgsql;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// The throw-away PostgreSQL that <c>scripts/test-postgres.sh</c> starts (its admin connection string in
/// <see cref="EnvironmentVariable"/>), as the unit tests use it: without it the PostgreSQL scenarios skip, visibly;
/// with <c>CI=true</c> they fail.
/// </summary>
internal static class PostgresTestServer
{
    public const string EnvironmentVariable = "PHONEAGENT_TEST_POSTGRES";

    public static string? AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Skips the running test when no server is configured, or fails it under CI.</summary>
    public static void RequireOrSkip()
    {
        if (AdminConnectionString is not null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{EnvironmentVariable} is not set and CI=true: the PostgreSQL scenarios must run in CI (test.sh starts a server with scripts/test-postgres.sh).");
        }

        Skip.If(true, $"{EnvironmentVariable} is not set: run `eval \"$(scripts/test-postgres.sh start)\"` to test against PostgreSQL.");
    }
}

/// <summary>An empty database of its own for one test class (PhoneAgent migrates and seeds it at start), dropped afterwards.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _name;

    /// <summary>The class's database, or <see langword="null"/> when no server is configured.</summary>
    public string? ConnectionString { get; private set; }

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.AdminConnectionString is not { } admin)
        {
            return;
        }

        _name = "pa_e2e_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {_name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _name, Pooling = true }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_name is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresTestServer.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
