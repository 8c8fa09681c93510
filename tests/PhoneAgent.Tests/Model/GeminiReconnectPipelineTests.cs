using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>The (re)connect pipeline on a fake clock: exponential backoff with jitter, bounded attempts and total time.</summary>
public sealed class GeminiReconnectPipelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Transient_failures_back_off_exponentially_up_to_the_cap_and_stop_after_the_retries()
    {
        var time = new FakeTimeProvider(Start);
        var options = new GeminiReconnectOptions { MaxRetries = 8, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), TotalTimeout = TimeSpan.FromMinutes(5) };
        var logs = new CapturingLoggerProvider();
        var pipeline = GeminiReconnectPipeline.Create(options, time, logs.CreateLogger("test"), randomizer: () => 0.5);
        var attempts = 0;

        var run = pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            throw new GeminiConnectException(GeminiConnectionPhase.ResumeSetup, GeminiCloseKind.ServerError, 1011, "The service is currently unavailable.", "1011");
        }).AsTask();
        await Drive(time, run);

        var error = await Assert.ThrowsAsync<GeminiConnectException>(() => run);
        Assert.Equal(1011, error.CloseCode);
        Assert.Equal(options.MaxRetries + 1, attempts);
        var delays = Delays(logs);
        Assert.Equal(options.MaxRetries, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), options.MaxDelay));
        Assert.True(delays[1] > delays[0] && delays[2] > delays[1], "delays grow: " + string.Join(", ", delays));
        Assert.Equal(options.MaxDelay, delays[^1]);
        Assert.All(logs.Entries, e => Assert.Contains("'The service is currently unavailable.'", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jitter_spreads_the_delays()
    {
        var seen = new HashSet<TimeSpan>();
        foreach (var random in new[] { 0.1, 0.5, 0.9 })
        {
            var time = new FakeTimeProvider(Start);
            var logs = new CapturingLoggerProvider();
            var pipeline = GeminiReconnectPipeline.Create(new GeminiReconnectOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) }, time, logs.CreateLogger("test"), () => random);
            var run = pipeline.ExecuteAsync(_ => throw new GeminiConnectException(GeminiConnectionPhase.FreshSetup, GeminiCloseKind.TransportLost, null, null, "lost")).AsTask();
            await Drive(time, run);
            await Assert.ThrowsAsync<GeminiConnectException>(() => run);
            seen.Add(Assert.Single(Delays(logs)));
        }

        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public async Task A_rejected_setup_is_not_retried()
    {
        var time = new FakeTimeProvider(Start);
        var pipeline = GeminiReconnectPipeline.Create(new GeminiReconnectOptions(), time, NullLogger.Instance);
        var attempts = 0;

        var error = await Assert.ThrowsAsync<GeminiConnectException>(() => pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            throw new GeminiConnectException(GeminiConnectionPhase.FreshSetup, GeminiCloseKind.PolicyViolation, 1008, "models/x is not found for API version v1beta", "1008");
        }).AsTask());

        Assert.Equal(1, attempts);
        Assert.Equal(GeminiCloseAction.Fatal, error.Action);
    }

    [Fact]
    public async Task The_whole_reconnect_is_bounded_in_time()
    {
        var time = new FakeTimeProvider(Start);
        var options = new GeminiReconnectOptions { MaxRetries = 20, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), TotalTimeout = TimeSpan.FromSeconds(5) };
        var pipeline = GeminiReconnectPipeline.Create(options, time, NullLogger.Instance, () => 0.5);
        var attempts = new List<DateTimeOffset>();

        var run = pipeline.ExecuteAsync(_ =>
        {
            attempts.Add(time.GetUtcNow());
            throw new GeminiConnectException(GeminiConnectionPhase.ResumeSetup, GeminiCloseKind.Normal, 1000, "", "1000");
        }).AsTask();
        await Drive(time, run);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => run);
        Assert.True(time.GetUtcNow() - Start >= options.TotalTimeout);
        Assert.All(attempts, a => Assert.True(a - Start < options.TotalTimeout));
        Assert.InRange(attempts.Count, 2, 6);
    }

    [Fact]
    public async Task Success_after_a_transient_failure_returns()
    {
        var time = new FakeTimeProvider(Start);
        var pipeline = GeminiReconnectPipeline.Create(new GeminiReconnectOptions(), time, NullLogger.Instance, () => 0.5);
        var attempts = 0;

        var run = pipeline.ExecuteAsync(_ => ++attempts < 3
            ? throw new GeminiConnectException(GeminiConnectionPhase.FreshSetup, GeminiCloseKind.ConnectRefused, null, null, "refused")
            : ValueTask.FromResult(attempts)).AsTask();
        await Drive(time, run);

        Assert.Equal(3, await run);
    }

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    /// <summary>Advances the fake clock in small steps until <paramref name="task"/> ends (bounded).</summary>
    private static async Task Drive(FakeTimeProvider time, Task task)
    {
        for (var i = 0; i < 20_000 && !task.IsCompleted; i++)
        {
            await Task.Delay(1);
            time.Advance(Step);
        }

        Assert.True(task.IsCompleted, "the pipeline did not finish on the fake clock");
    }

    /// <summary>The backoff delays the pipeline chose, from its retry log (event 370).</summary>
    private static List<TimeSpan> Delays(CapturingLoggerProvider logs) =>
        [.. logs.Entries.Where(e => e.EventId.Id == 370)
            .Select(e => TimeSpan.Parse(e.AllText.Split(" | ").First(p => p.StartsWith("Delay=", StringComparison.Ordinal))["Delay=".Length..], CultureInfo.InvariantCulture))];
}
