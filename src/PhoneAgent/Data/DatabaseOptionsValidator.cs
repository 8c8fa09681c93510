using System.Data.Common;
using Microsoft.Extensions.Options;

namespace PhoneAgent.Data;

/// <summary>Checks <see cref="DatabaseOptions"/> at start; every message names the configuration key.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{DatabaseOptions.Key(nameof(DatabaseOptions.Provider))} must be Sqlite or Postgres.");
        }

        if (options.Provider == DatabaseProvider.Postgres && options.ConnectionString is null)
        {
            errors.Add($"{DatabaseOptions.ConnectionStringKey} is required when {DatabaseOptions.Key(nameof(DatabaseOptions.Provider))}=Postgres (e.g. 'Host=db;Database=phoneagent;Username=phoneagent;Password=…').");
        }

        if (options.ConnectionString is { } connectionString)
        {
            try
            {
                _ = new DbConnectionStringBuilder { ConnectionString = connectionString };
            }
            catch (ArgumentException)
            {
                // The message of the exception may quote the string, which may hold a password: say only where.
                errors.Add($"{DatabaseOptions.ConnectionStringKey} is not a valid connection string (keyword=value pairs separated by ';').");
            }
        }

        if (options.RetentionPeriod is { } retention && retention < TimeSpan.Zero)
        {
            errors.Add($"{DatabaseOptions.Key(nameof(DatabaseOptions.RetentionPeriod))} must not be negative (zero or unset keeps data until deleted on request).");
        }

        if (options.RetentionSweepInterval < TimeSpan.FromSeconds(1) || options.RetentionSweepInterval > TimeSpan.FromDays(7))
        {
            errors.Add($"{DatabaseOptions.Key(nameof(DatabaseOptions.RetentionSweepInterval))} must be between 00:00:01 and 7.00:00:00.");
        }

        if (options.SqliteBusyTimeout < TimeSpan.Zero || options.SqliteBusyTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{DatabaseOptions.Key(nameof(DatabaseOptions.SqliteBusyTimeout))} must be between 00:00:00 and 00:10:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
