namespace PhoneAgent.Model;

/// <summary>Opens realtime speech-to-speech model sessions. The vendor behind it (Gemini Live, its emulator) stays hidden.</summary>
public interface IRealtimeModelClient
{
    /// <summary>
    /// Starts a session and returns at once: the connection and its setup run in the background, caller audio sent
    /// meanwhile is held in a bounded buffer, and <see cref="IRealtimeModelSession.Ready"/> completes once the model
    /// has accepted the setup.
    /// </summary>
    IRealtimeModelSession Open(ModelSessionConfig config);
}

public static class RealtimeModelClientExtensions
{
    /// <summary>Opens a session and waits until it is ready; a session that fails to start is disposed and its failure thrown.</summary>
    /// <exception cref="ModelSessionException">The model refused the setup or could not be reached.</exception>
    public static async ValueTask<IRealtimeModelSession> ConnectAsync(this IRealtimeModelClient client, ModelSessionConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var session = client.Open(config);
        try
        {
            await session.Ready.WaitAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }
}
