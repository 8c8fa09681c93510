namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>
/// A lifetime that hooks nothing: the emulator may live inside another application, which owns Ctrl+C and SIGTERM
/// (the standalone program handles them itself and disposes the server).
/// </summary>
internal sealed class EmulatorHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
