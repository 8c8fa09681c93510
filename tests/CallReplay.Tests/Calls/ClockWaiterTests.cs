using Microsoft.Extensions.Time.Testing;
using PhoneAgent.CallReplay.Calls;

namespace PhoneAgent.CallReplay.Tests.Calls;

/// <summary>The reusable wait both stream loops use: on time, woken early, cancelled, and deaf to stale timer firings.</summary>
public sealed class ClockWaiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_wait_ends_when_its_time_is_up_and_not_before()
    {
        using var waiter = new ClockWaiter(_clock, CancellationToken.None);
        for (var round = 0; round < 3; round++) // the same waiter, again and again
        {
            var wait = waiter.WaitAsync(TimeSpan.FromMilliseconds(10));
            _clock.Advance(TimeSpan.FromMilliseconds(9));
            Assert.False(wait.IsCompleted);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }

        Assert.True(await waiter.WaitAsync(TimeSpan.Zero)); // nothing to wait for
    }

    [Fact]
    public async Task A_wake_up_ends_the_pending_wait_or_the_next_one()
    {
        using var waiter = new ClockWaiter(_clock, CancellationToken.None);
        var wait = waiter.WaitAsync(Timeout.InfiniteTimeSpan);
        waiter.Wake();
        Assert.False(await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        waiter.Wake(); // between waits: the next one ends at once, once
        Assert.False(await waiter.WaitAsync(TimeSpan.FromMilliseconds(10)));
        var next = waiter.WaitAsync(TimeSpan.FromMilliseconds(10));
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(await next.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        waiter.Wake();
        waiter.ClearWake(); // forgotten: the caller looked at everything since
        var cleared = waiter.WaitAsync(TimeSpan.FromMilliseconds(10));
        Assert.False(cleared.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(await cleared.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Cancelling_ends_the_pending_wait_and_every_later_one()
    {
        using var cts = new CancellationTokenSource();
        using var waiter = new ClockWaiter(_clock, cts.Token);
        var wait = waiter.WaitAsync(TimeSpan.FromSeconds(1));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.ThrowsAny<OperationCanceledException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(1)).AsTask().GetAwaiter().GetResult()); // at once
    }

    [Fact]
    public async Task A_firing_meant_for_an_earlier_wait_does_not_end_the_next_one()
    {
        var clock = new ManualTimers();
        using var waiter = new ClockWaiter(clock, CancellationToken.None);
        var first = waiter.WaitAsync(TimeSpan.FromMilliseconds(10));
        clock.Now = 5;
        waiter.Wake();
        Assert.False(await first);

        var second = waiter.WaitAsync(TimeSpan.FromMilliseconds(20)); // due at 25 ms
        clock.Now = 10;
        clock.Fire(); // the first wait's firing, late: stale
        Assert.False(second.IsCompleted);
        Assert.Equal(TimeSpan.FromMilliseconds(15), clock.LastArmed); // re-armed for what is left, never dropped
        clock.Now = 25;
        clock.Fire();
        Assert.True(await second.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>A clock in milliseconds whose one timer fires only when told to (as a stale firing would).</summary>
    private sealed class ManualTimers : TimeProvider
    {
        private TimerCallback? _callback;
        private object? _state;

        public long Now { get; set; }

        public TimeSpan LastArmed { get; private set; }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_callback, _state) = (callback, state);
            return new Timer(this);
        }

        public void Fire() => _callback!(_state);

        private sealed class Timer(ManualTimers clock) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                clock.LastArmed = dueTime;
                return true;
            }

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
