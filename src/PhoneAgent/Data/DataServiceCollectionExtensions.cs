using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PhoneAgent.Calls;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

internal static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the database (<c>Database:Provider</c>, <c>ConnectionStrings:PhoneAgent</c>), its migration and seeding
    /// at start, the SQL stores (call store, customers, refunds, audit, verification, hand-offs, retention) and the
    /// retention sweep. Call it before the Twilio edge (its in-memory call store is a <c>TryAdd</c> fallback) and
    /// before any hosted service that uses the database: the migration is a hosted service and they start in order.
    /// </summary>
    public static IServiceCollection AddPhoneAgentData(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>(static (o, configuration) =>
                o.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());

        services.TryAddSingleton(static sp => Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<DemoData>();

        services.TryAddSingleton<ICallStore, SqlCallStore>();
        services.TryAddSingleton<ICustomerDirectory, SqlCustomerDirectory>();
        services.TryAddSingleton<IRefundLedger, SqlRefundLedger>();
        services.TryAddSingleton<IToolAuditLog, SqlToolAuditLog>();
        services.TryAddSingleton<ICallVerificationStore, SqlCallVerificationStore>();
        services.TryAddSingleton<IHandoffStore, SqlHandoffStore>();
        services.TryAddSingleton<IDataRetention, SqlDataRetention>();

        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService<RetentionSweep>();
        return services;
    }

    /// <summary>The database the options describe (also used by the <c>data</c> admin commands).</summary>
    public static PhoneAgentDatabase Create(DatabaseOptions options, string contentRoot) => options.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresDatabase(options.ConnectionString!),
        _ => new SqliteDatabase(options.ConnectionString ?? DatabaseOptions.DefaultSqliteConnectionString, contentRoot, options.SqliteBusyTimeout),
    };
}
