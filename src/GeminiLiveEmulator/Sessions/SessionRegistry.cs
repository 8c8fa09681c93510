using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Every connection's log, in order, and which connections are still open. Oldest closed logs are dropped past <c>maxRetained</c>.</summary>
internal sealed class SessionRegistry(int maxRetained, int maxEntries, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<EmulatorSessionLog> _logs = [];
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private int _next;

    public EmulatorSessionLog Open(LiveEndpoint endpoint, string path)
    {
        lock (_lock)
        {
            var log = new EmulatorSessionLog($"c{++_next}", endpoint.Backend, path, endpoint.Version, time.GetUtcNow(), maxEntries);
            _logs.Add(log);
            _open.Add(log.ConnectionId);
            return log;
        }
    }

    public void MarkEnded(string connectionId)
    {
        lock (_lock)
        {
            if (!_open.Remove(connectionId))
            {
                return;
            }

            // Open logs are never dropped, so the closed ones are the rest.
            while (_logs.Count - _open.Count > maxRetained && _logs.FindIndex(l => !_open.Contains(l.ConnectionId)) is var oldest and >= 0)
            {
                _logs.RemoveAt(oldest);
            }
        }
    }

    public bool IsOpen(string connectionId)
    {
        lock (_lock)
        {
            return _open.Contains(connectionId);
        }
    }

    public IReadOnlyList<EmulatorSessionLog> Snapshot()
    {
        lock (_lock)
        {
            return [.. _logs];
        }
    }
}
