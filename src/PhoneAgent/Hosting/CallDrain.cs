using Microsoft.Extensions.Options;
using PhoneAgent.Bridge;
using PhoneAgent.Options;

namespace PhoneAgent.Hosting;

/// <summary>
/// Deploys that drop no call: on SIGTERM (the host stopping) the instance drains before the web server stops.
/// </summary>
/// <remarks>
/// (1) SIGTERM cancels <c>ApplicationStopping</c>: <c>/readyz</c> answers 503 at once and the voice webhook answers new
/// calls with the profile's fallback (<see cref="DrainingCallAdmission"/>). (2) <see cref="StoppingAsync"/> runs before
/// any hosted service stops, so Kestrel keeps serving the calls in flight, their status callbacks and connect-actions;
/// it waits until no call is in flight or <c>PhoneAgent:DrainTimeout</c> has passed. (3) At the deadline
/// <see cref="CallsMustEnd"/> fires: every call still running ends with <c>NextAction.Fallback</c>, so Twilio's
/// connect-action plays the apology and moves the caller on. (4) A short linger answers those connect-actions, then
/// the host stops the server. <c>HostOptions.ShutdownTimeout</c> is set to the drain timeout plus
/// <see cref="ShutdownMargin"/> so the host never cuts the drain short.
/// </remarks>
internal sealed partial class CallDrain(
    IOptions<PhoneAgentOptions> options,
    BridgeCallAdmission admission,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<CallDrain> logger) : ICallDrain, IHostedLifecycleService, IDisposable
{
    /// <summary>Added to <c>PhoneAgent:DrainTimeout</c> for the host's shutdown timeout: the fallback ends, the linger, the server's stop.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(30);

    /// <summary>After the deadline, how long calls get to play out their end (close the stream, record the fallback).</summary>
    private static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(15);

    /// <summary>After the last call ended: Twilio requests connect-action right after a stream closes.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>A call's stream starts within seconds of its webhook; an admission older than this ran elsewhere or never came.</summary>
    private static readonly TimeSpan StreamGrace = TimeSpan.FromSeconds(30);

    private static readonly TimeProvider SystemClock = TimeProvider.System;

    private readonly CancellationTokenSource _callsMustEnd = new();

    public bool Draining => lifetime.ApplicationStopping.IsCancellationRequested;

    public CancellationToken CallsMustEnd => _callsMustEnd.Token;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.DrainTimeout;
        var started = timeProvider.GetTimestamp();
        var inFlight = admission.InFlight;
        Log.Draining(logger, inFlight, timeout);
        if (inFlight == 0)
        {
            return;
        }

        try
        {
            // Before the deadline, calls admitted in the last StreamGrace whose stream has not started yet count too: it
            // may still come here (older ones ran on another instance or never came).
            var streamsSeen = admission.StreamsRunning > 0;
            if (!await NoCallsWithinAsync(() => admission.DrainCount(StreamGrace), timeout, cancellationToken))
            {
                Log.DeadlineReached(logger, admission.InFlight, timeout);
                await _callsMustEnd.CancelAsync();

                // After it, only running streams have anything to end; a stream that never came has nothing to play.
                streamsSeen |= admission.StreamsRunning > 0;
                await NoCallsWithinAsync(() => admission.StreamsRunning, EndGrace, cancellationToken);
            }

            if (streamsSeen)
            {
                await Task.Delay(Linger, SystemClock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // HostOptions.ShutdownTimeout: the host stops now.
        }

        Log.Drained(logger, timeProvider.GetElapsedTime(started).TotalSeconds, admission.InFlight);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _callsMustEnd.Dispose();

    /// <summary>
    /// Waits until <paramref name="count"/> is 0 (true) or <paramref name="limit"/> has passed on the injected clock
    /// (false). The polling itself runs on the system clock: the drain runs while the host stops, when nobody advances a
    /// test's fake clock, and a poll interval or Twilio's follow-up requests are real time anyway.
    /// </summary>
    private async Task<bool> NoCallsWithinAsync(Func<int> count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();
        while (count() > 0)
        {
            if (timeProvider.GetElapsedTime(start) >= limit)
            {
                return false;
            }

            await Task.Delay(Poll, SystemClock, cancellationToken);
        }

        return true;
    }

    // EventIds 20-29 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Draining: {InFlight} calls in flight; new calls get the fallback; waiting up to {DrainTimeout} (PhoneAgent:DrainTimeout)", EventName = "DrainStarted")]
        public static partial void Draining(ILogger logger, int inFlight, TimeSpan drainTimeout);

        [LoggerMessage(21, LogLevel.Warning, "Drain deadline {DrainTimeout} reached with {InFlight} calls in flight: they end with their profile's fallback", EventName = "DrainDeadline")]
        public static partial void DeadlineReached(ILogger logger, int inFlight, TimeSpan drainTimeout);

        [LoggerMessage(22, LogLevel.Information, "Drained in {Seconds:0.0} s ({InFlight} calls left)", EventName = "Drained")]
        public static partial void Drained(ILogger logger, double seconds, int inFlight);
    }
}
