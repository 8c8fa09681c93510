using System.Globalization;
using Microsoft.Extensions.Options;
using PhoneAgent.Privacy;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary>
/// <c>dotnet run --project src/PhoneAgent -- data …</c>: deletion on request and by retention, with the service's own
/// configuration (appsettings, environment, command line), run before and instead of the web host.
/// </summary>
internal static class DataCommands
{
    public const string Usage =
        """
        usage: PhoneAgent data <command> [--Key=Value …]
          delete-call <CallSid>      delete one call and everything recorded for it
          delete-phone <+E164>       delete every call from or to the number, and its callback requests
          purge [<d.hh:mm:ss>]       delete calls older than the period (default Database:RetentionPeriod)
          migrate                    bring the database schema up to date and exit
        Settings come from appsettings*.json, the environment and --Key=Value (e.g. --ConnectionStrings:PhoneAgent=…).
        """;

    /// <summary>Whether <paramref name="args"/> asks for a data command rather than the web host.</summary>
    public static bool IsDataCommand(string[] args) => args.Length > 0 && args[0] == "data";

    /// <summary>Runs the command; returns the process exit code (0 done, 1 failed, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var positional = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var settings = args.Skip(1 + positional.Length).ToArray();
        if (positional.Length == 0)
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddPhoneAgentData();
        using var host = builder.Build();
        var services = host.Services;
        try
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
            var retention = services.GetRequiredService<IDataRetention>();
            switch (positional)
            {
                case ["migrate"]:
                    await output.WriteLineAsync("database is up to date").ConfigureAwait(false);
                    return 0;
                case ["delete-call", var callSid]:
                    var byCall = await retention.DeleteCallAsync(callSid, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"deleted {byCall} row(s) of call {callSid}").ConfigureAwait(false);
                    return 0;
                case ["delete-phone", var phone]:
                    var byPhone = await retention.DeleteByPhoneAsync(phone, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"deleted {byPhone} row(s) for {PhoneNumberMask.LastFour(phone)}").ConfigureAwait(false);
                    return 0;
                case ["purge", .. var rest] when rest.Length <= 1:
                    TimeSpan period;
                    if (rest.Length == 1)
                    {
                        if (!TimeSpan.TryParse(rest[0], CultureInfo.InvariantCulture, out period) || period <= TimeSpan.Zero)
                        {
                            await output.WriteLineAsync($"purge: '{rest[0]}' is not a positive period (d.hh:mm:ss, e.g. 90.00:00:00)").ConfigureAwait(false);
                            return 2;
                        }
                    }
                    else if (options.RetentionEnabled)
                    {
                        period = options.RetentionPeriod!.Value;
                    }
                    else
                    {
                        await output.WriteLineAsync($"purge: {DatabaseOptions.Key(nameof(DatabaseOptions.RetentionPeriod))} is not set; give the period (e.g. purge 90.00:00:00)").ConfigureAwait(false);
                        return 2;
                    }

                    var cutoff = services.GetRequiredService<TimeProvider>().GetUtcNow() - period;
                    var purged = await retention.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"deleted {purged} row(s) from before {cutoff:O}").ConfigureAwait(false);
                    return 0;
                default:
                    await output.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 2;
            }
        }
        catch (OptionsValidationException ex)
        {
            await output.WriteLineAsync("configuration: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return 1;
        }
    }
}
