namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// Calls that run in real time (the bridge paces audio on the wall clock; CallReplay plays the caller on it): one at a
/// time, so their timing bounds hold on a 2-core CI machine. Each bound states its slack.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCalls
{
    public const string Name = "Real-time calls";
}
