using System.Runtime.CompilerServices;

namespace PhoneAgent.CallReplay.Tests.Testing;

/// <summary>
/// The load tests host the scripted agent (a Kestrel server) and the load generator in one process. The thread pool
/// starts with one thread per core and adds threads slowly, so on a busy 2-core machine the first call of a run saw
/// the generator stall for ~1 s (its frames sent up to 980 ms late) while the pool grew. The load tool proper warms up
/// with a call of its own before it measures; the tests start the pool where it would be after that warm-up, as the
/// end-to-end tests do.
/// </summary>
internal static class ThreadPoolWarmUp
{
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), Math.Max(16, Environment.ProcessorCount * 4));
}
