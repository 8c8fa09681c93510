using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Bridge;

namespace PhoneAgent.Tests.Bridge;

public sealed class CallWatchdogsTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Target _target = new();

    [Fact]
    public void Idle_reprompt_never_comes_sooner_than_60_seconds_by_default_then_goodbye_after_the_last()
    {
        using var watchdogs = new CallWatchdogs(_time, new CallLimits(), _target);
        watchdogs.Start();

        _time.Advance(TimeSpan.FromSeconds(59.9));
        Assert.Empty(_target.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["idle 1"], _target.Calls);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["idle 1", "idle 2"], _target.Calls);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["idle 1", "idle 2", "give up"], _target.Calls);
    }

    [Fact]
    public void Caller_activity_and_agent_speech_hold_the_idle_reprompt_off()
    {
        using var watchdogs = new CallWatchdogs(_time, new CallLimits(), _target);
        watchdogs.Start();
        _time.Advance(TimeSpan.FromSeconds(50));
        watchdogs.CallerActivity();
        _time.Advance(TimeSpan.FromSeconds(50));
        watchdogs.AgentSpeaking();
        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.Empty(_target.Calls);

        watchdogs.AgentTurnEnded();
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["idle 1"], _target.Calls);
    }

    [Fact]
    public void A_silent_model_is_nudged_then_reconnected()
    {
        using var watchdogs = new CallWatchdogs(_time, new CallLimits { StallTimeout = TimeSpan.FromSeconds(8) }, _target);
        watchdogs.AwaitModel();

        _time.Advance(TimeSpan.FromSeconds(7.9));
        Assert.Empty(_target.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["nudge"], _target.Calls);
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(["nudge", "reconnect"], _target.Calls);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _target.Calls.Count);
    }

    [Fact]
    public void Model_output_disarms_the_stall_watchdog()
    {
        using var watchdogs = new CallWatchdogs(_time, new CallLimits(), _target);
        watchdogs.AwaitModel();
        _time.Advance(TimeSpan.FromSeconds(5));
        watchdogs.ModelResponded();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(_target.Calls);
    }

    [Fact]
    public void Maximum_duration_ends_the_call()
    {
        using var watchdogs = new CallWatchdogs(_time, new CallLimits { MaxCallDuration = TimeSpan.FromMinutes(5), IdleRepromptAfter = TimeSpan.FromMinutes(2), IdleRepromptMax = 10 }, _target);
        watchdogs.Start();
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains("max duration", _target.Calls);
    }

    private sealed class Target : IWatchdogTarget
    {
        public List<string> Calls { get; } = [];

        public void MaxDurationReached() => Calls.Add("max duration");

        public void IdleReprompt(int count) => Calls.Add($"idle {count}");

        public void IdleGiveUp() => Calls.Add("give up");

        public void ModelStalled(bool nudge) => Calls.Add(nudge ? "nudge" : "reconnect");
    }
}
