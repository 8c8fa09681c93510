namespace PhoneAgent.Data;

/// <summary>Which database holds calls, customers, refunds and the audit log (<c>Database:Provider</c>).</summary>
internal enum DatabaseProvider
{
    /// <summary>An embedded SQLite file (Microsoft.Data.Sqlite): the default, for one instance.</summary>
    Sqlite = 1,

    /// <summary>PostgreSQL (Npgsql): for production and several instances.</summary>
    Postgres,
}
