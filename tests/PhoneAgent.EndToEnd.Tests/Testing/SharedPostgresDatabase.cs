using Npgsql;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// One PostgreSQL database for a test class, made on the throw-away server <c>scripts/test-postgres.sh</c> starts
/// (<c>PHONEAGENT_TEST_POSTGRES</c>, its admin connection string; test.sh sets it) and dropped afterwards. Without the
/// server the tests skip, visibly; with <c>CI=true</c> they fail. The instances migrate it themselves at start.
/// </summary>
public sealed class SharedPostgresDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "PHONEAGENT_TEST_POSTGRES";

    private static string? Admin =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    private string? _name;

    /// <summary>Skips the running test when no server is configured, or fails it under CI.</summary>
    public static void RequireOrSkip()
    {
        if (Admin is not null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{EnvironmentVariable} is not set and CI=true: the two-instance tests must run in CI (test.sh starts a server with scripts/test-postgres.sh).");
        }

        Skip.If(true, $"{EnvironmentVariable} is not set: run `eval \"$(scripts/test-postgres.sh start)\"` to run the two-instance tests.");
    }

    /// <summary>
    /// The class's database for one instance. The application name differs per instance, so each gets a connection
    /// pool of its own, as two processes would (Npgsql pools per connection string).
    /// </summary>
    public string ConnectionString(string instance)
    {
        RequireOrSkip();
        return new NpgsqlConnectionStringBuilder(Admin) { Database = _name, ApplicationName = "phoneagent-" + instance, Pooling = true }.ConnectionString;
    }

    public async Task InitializeAsync()
    {
        if (Admin is not { } admin)
        {
            return;
        }

        _name = "pa_e2e_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {_name}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_name is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
