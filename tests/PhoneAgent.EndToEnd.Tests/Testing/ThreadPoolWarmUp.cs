using System.Runtime.CompilerServices;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// One test process hosts PhoneAgent, the emulator and CallReplay (three Kestrel servers and their clients) on a
/// 2-core machine. The thread pool starts with one thread per core and adds threads slowly, so the first call of a run
/// saw ~0.5 s stalls while the pool grew (test start-up code blocks pool threads). Production hosts one server per
/// process; the tests start the pool where it would be after warm-up.
/// </summary>
internal static class ThreadPoolWarmUp
{
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), Math.Max(16, Environment.ProcessorCount * 4));
}
