using Microsoft.Extensions.Options;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary>
/// Deletes calls older than <c>Database:RetentionPeriod</c> every <c>Database:RetentionSweepInterval</c> (first
/// sweep one interval after the start), on the injected <see cref="TimeProvider"/>. Off when no period is set.
/// </summary>
internal sealed partial class RetentionSweep(IDataRetention retention, IOptions<DatabaseOptions> options, TimeProvider timeProvider, ILogger<RetentionSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RetentionEnabled)
        {
            return;
        }

        using var periodic = new PeriodicTimer(settings.RetentionSweepInterval, timeProvider);
        while (await periodic.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One sweep; a failure is logged and the next tick tries again.</summary>
    internal async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - options.Value.RetentionPeriod!.Value;
        try
        {
            var deleted = await retention.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            Log.Swept(logger, deleted, cutoff);
            return deleted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SweepFailed(logger, ex);
            return 0;
        }
    }

    private static partial class Log
    {
        // EventIds 1120-1129 belong to this class.
        [LoggerMessage(1120, LogLevel.Information, "Retention sweep: {Rows} row(s) deleted from before {Cutoff:O}", EventName = "RetentionSwept")]
        public static partial void Swept(ILogger logger, int rows, DateTimeOffset cutoff);

        [LoggerMessage(1121, LogLevel.Warning, "Retention sweep failed; the next one tries again", EventName = "RetentionSweepFailed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
