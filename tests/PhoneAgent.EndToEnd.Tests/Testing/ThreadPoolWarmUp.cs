using System.Runtime.CompilerServices;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// One test process hosts PhoneAgent, the emulator and CallReplay (three Kestrel servers and their clients) on a
/// 2-core machine. The thread pool starts with one thread per core and adds threads slowly, so the first call of a run
/// saw ~0.5 s stalls while the pool grew (test start-up code blocks pool threads). Production hosts one server per
/// process; the tests start the pool where it would be after warm-up.
/// CallReplay.Tests compile this file too: their load tests host a scripted agent and the load generator together, and
/// on a busy machine the first call's frames went out up to 1 s late while the pool grew (the load tool proper makes a
/// warm-up call before it measures).
/// </summary>
internal static class ThreadPoolWarmUp
{
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), Math.Max(16, Environment.ProcessorCount * 4));
}
