using Microsoft.Extensions.Options;

namespace PhoneAgent.Data;

/// <summary>
/// Migrates the database (and seeds the demo data when asked) before anything uses it: registered ahead of the
/// hosted services that touch the database, and hosted services start one after another, before the server listens.
/// A failure stops the start with the error.
/// </summary>
internal sealed partial class DatabaseStartup(
    DatabaseMigrator migrator, DemoData demoData, PhoneAgentDatabase database, IOptions<DatabaseOptions> options, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        Log.Ready(logger, database.Provider, applied.Count, database is SqliteDatabase { FilePath: { } file } ? file : "(server)");
        if (options.Value.SeedDemoData)
        {
            Log.Seeded(logger, await demoData.SeedAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        // EventIds 1110-1119 belong to this class.
        [LoggerMessage(1110, LogLevel.Information, "Database ready: {Provider}, {Applied} migration(s) applied now, at {Location}", EventName = "DatabaseReady")]
        public static partial void Ready(ILogger logger, DatabaseProvider provider, int applied, string location);

        [LoggerMessage(1111, LogLevel.Information, "Demo data: {Rows} row(s) seeded (missing rows only)", EventName = "DemoDataSeeded")]
        public static partial void Seeded(ILogger logger, int rows);
    }
}
