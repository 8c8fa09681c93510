namespace PhoneAgent.Data;

/// <summary>Database settings, section <c>Database</c>, plus <c>ConnectionStrings:PhoneAgent</c>. Validated by <see cref="DatabaseOptionsValidator"/>.</summary>
internal sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The name under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "PhoneAgent";

    /// <summary>The configuration key of the connection string.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    /// <summary>What SQLite uses when no connection string is set (relative to the content root).</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/phoneagent.db";

    /// <value>The default value is <see cref="DatabaseProvider.Sqlite"/>.</value>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Bound from <c>ConnectionStrings:PhoneAgent</c>, not from this section.</summary>
    /// <value>Required for PostgreSQL; for SQLite the default is <see cref="DefaultSqliteConnectionString"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Seed the demo customers and orders (README: "Demo data") at start; idempotent.</summary>
    /// <value>The default value is <see langword="false"/> (<see langword="true"/> in appsettings.Development.json).</value>
    public bool SeedDemoData { get; set; }

    /// <summary>Calls (with their transcripts, audit, hand-offs, callbacks) older than this are deleted by the sweep.</summary>
    /// <value>The default value is <see langword="null"/>: kept until deleted on request (zero means the same).</value>
    public TimeSpan? RetentionPeriod { get; set; }

    /// <summary>How often the retention sweep runs when <see cref="RetentionPeriod"/> is set.</summary>
    /// <value>The default value is one hour.</value>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an SQLite writer waits for another writer's lock before failing.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the sweep runs: a positive <see cref="RetentionPeriod"/>.</summary>
    public bool RetentionEnabled => RetentionPeriod is { } period && period > TimeSpan.Zero;

    public static string Key(string property) => $"{SectionName}:{property}";
}
