using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PhoneAgent.Bridge;
using PhoneAgent.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// Deploys that drop no call. <c>IHost.StopAsync</c> is what the host runs on SIGTERM (the console lifetime cancels
/// the signal's default and stops the host); the published app's real SIGTERM is run by infra/docker/verify.sh.
/// </summary>
[Collection(RealTimeCalls.Name)]
public sealed class DrainTests(ITestOutputHelper output)
{
    private const string ThreeTurns = """
        { "name": "three-turns", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "first", "reply": { "clip": "done" } },
          { "caller": "second", "reply": { "clip": "okay" } } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    [Fact]
    public async Task On_SIGTERM_readyz_fails_at_once_new_calls_get_the_fallback_and_the_call_in_flight_finishes()
    {
        await using var e2e = await EndToEndCall.StartAsync(ThreeTurns, new Dictionary<string, string?> { ["PhoneAgent:DrainTimeout"] = "00:00:30" });
        using var http = new HttpClient { BaseAddress = e2e.Server.Address };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var inFlight = e2e.Server.Services.GetRequiredService<BridgeCallAdmission>();

        var call = e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(6), (1.2, 1.9, "first"), (4.2, 4.9, "second")));
        await WaitForAsync(() => inFlight.InFlight == 1);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var stopping = SigtermAsync(e2e);
        var readyz = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var readyzAfter = clock.Elapsed;
        output.WriteLine($"/readyz {(int)readyz.StatusCode} after {readyzAfter.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.True(readyzAfter < TimeSpan.FromSeconds(1), $"/readyz turned 503 after {readyzAfter}");

        // A call arriving while the instance drains hears the profile's fallback (apology, then the queue).
        var late = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(2), (0.5, 1.0, "hello")));
        output.WriteLine($"late call: {late.EndReason}; verbs: {string.Join(", ", late.Verbs)}");
        Assert.Empty(late.Streams);
        Assert.Contains(late.Verbs, v => v.StartsWith("Say", StringComparison.Ordinal));
        Assert.Contains(late.Verbs, v => v.StartsWith("Enqueue", StringComparison.Ordinal));
        Assert.False(stopping.IsCompleted, "the host stopped while a call was in flight");
        Assert.Equal("refused:draining", (await e2e.RecordAsync(late.CallSid))!.EndReason);

        // The call in flight is not cut: the caller hears every turn and hangs up.
        var result = await call;
        var callEnded = clock.Elapsed;
        output.WriteLine($"call: {result.EndReason}; verbs: {string.Join(", ", result.Verbs)}; ended {callEnded.TotalSeconds:0.0} s after SIGTERM");
        Assert.Equal(CallReplay.Calls.CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal([1, 2, 3], EndToEndCall.HeardTags(result));
        Assert.DoesNotContain(result.Verbs, v => v.StartsWith("Say", StringComparison.Ordinal));

        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"host stopped {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        Assert.True(clock.Elapsed >= callEnded, "the host stopped before the call ended");
    }

    [Fact]
    public async Task A_call_longer_than_the_drain_timeout_ends_with_the_profiles_fallback()
    {
        await using var e2e = await EndToEndCall.StartAsync(ThreeTurns, new Dictionary<string, string?> { ["PhoneAgent:DrainTimeout"] = "00:00:02" });
        var inFlight = e2e.Server.Services.GetRequiredService<BridgeCallAdmission>();
        var call = e2e.CallAsync(
            CallerAudio.Speech(TimeSpan.FromSeconds(20), (1.2, 1.9, "first"), (10.2, 10.9, "second")),
            o => o with { HangupAfter = null });
        await WaitForAsync(() => inFlight.InFlight == 1);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var stopping = SigtermAsync(e2e);
        var result = await call;
        output.WriteLine($"call: {result.EndReason}; verbs: {string.Join(", ", result.Verbs)}; ended {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        var record = await e2e.RecordAsync(result.CallSid); // while the host lingers: a stopped host has released its database
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        // Cut at the deadline, not at the caller's end, and moved on with the apology: never silence.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));
        Assert.Contains(result.Verbs, v => v.StartsWith("Say", StringComparison.Ordinal) && v.Contains("I'm sorry", StringComparison.Ordinal));
        Assert.Contains(result.Verbs, v => v.StartsWith("Enqueue", StringComparison.Ordinal));
        var action = Assert.IsType<NextAction.Fallback>(record!.Streams[0].NextAction);
        Assert.Contains("DrainTimeout", action.Reason, StringComparison.Ordinal);
    }

    /// <summary>What the console lifetime does on SIGTERM: signal stopping, then stop the host (which drains).</summary>
    private static Task SigtermAsync(EndToEndCall e2e)
    {
        e2e.Server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        return e2e.Server.Services.GetRequiredService<IHost>().StopAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting for the call to start");
            await Task.Delay(20);
        }
    }
}
