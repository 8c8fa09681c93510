namespace PhoneAgent.CallReplay.Tests.Load;

/// <summary>
/// Tests that measure real time (the load tool's latencies and its timers) run alone, after the parallel ones: the
/// rest of this assembly's tests start web hosts that briefly starve the thread pool, which would show up here as
/// hundreds of milliseconds of lateness that is not the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeGroup
{
    public const string Name = "Real-time load tests";
}
