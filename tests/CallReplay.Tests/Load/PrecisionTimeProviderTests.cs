using System.Diagnostics;
using PhoneAgent.CallReplay.Load;

namespace PhoneAgent.CallReplay.Tests.Load;

[Collection(RealTimeGroup.Name)]
public sealed class PrecisionTimeProviderTests
{
    [Fact]
    public async Task Delays_end_on_time_and_timers_can_be_changed_periodic_and_disposed()
    {
        using var clock = new PrecisionTimeProvider();
        var lateness = new List<double>();
        var start = Stopwatch.GetTimestamp();
        for (var n = 1; n <= 25; n++)
        {
            var due = TimeSpan.FromMilliseconds(20 * n);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), clock); // Task.Delay truncates to whole ms
            }

            lateness.Add((Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds);
        }

        Assert.All(lateness, l => Assert.True(l >= -PrecisionTimeProvider.Early.TotalMilliseconds - 0.05, $"{l} ms early"));
        Assert.True(Percentiles.NearestRank([.. lateness.Order()], 0.5) < 10, string.Join(", ", lateness)); // loose: other tests and processes share the cores

        var ticks = 0;
        using var periodic = clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(105), clock);
        periodic.Dispose();
        var seen = Volatile.Read(ref ticks);
        Assert.InRange(seen, 7, 14); // 11 on time (0, 10, … 100 ms); the delay that ends the window may itself be late
        await Task.Delay(50);
        Assert.InRange(Volatile.Read(ref ticks), seen, seen + 1); // a firing already handed to the thread pool may still run

        var fired = false;
        using var changed = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        changed.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        await Task.Delay(40);
        Assert.False(fired);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30), clock);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(TimeSpan.FromSeconds(5), clock, cts.Token));
    }
}
