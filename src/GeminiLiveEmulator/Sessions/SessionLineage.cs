namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// A session across its connections (a fresh one and every resume of it): its id, how many connections it had, and
/// which faults already fired, so a fault fires once per session even when the resume replays its turn.
/// </summary>
internal sealed class SessionLineage(string sessionId)
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _firedFaults = [];
    private readonly Dictionary<int, int> _refusals = [];
    private int _connections;

    public string SessionId { get; } = sessionId;

    /// <summary>Counts a new connection of this session and returns its number (1 = the first).</summary>
    public int AddConnection() => Interlocked.Increment(ref _connections);

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>True the first time fault <paramref name="index"/> fires in this session.</summary>
    public bool TryFire(int index)
    {
        lock (_lock)
        {
            return _firedFaults.Add(index);
        }
    }

    /// <summary>Counts one refusal by fault <paramref name="index"/>; false once it has refused <paramref name="limit"/> (0: no limit).</summary>
    public bool TryRefuse(int index, int limit)
    {
        lock (_lock)
        {
            var count = _refusals.GetValueOrDefault(index);
            if (limit > 0 && count >= limit)
            {
                return false;
            }

            _refusals[index] = count + 1;
            return true;
        }
    }
}
