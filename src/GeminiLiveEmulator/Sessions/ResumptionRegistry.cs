using System.Collections.Concurrent;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// Resumption handles issued by every session of the server: UUIDs (the handle format recorded from the service),
/// each bound to its back end and model, valid for <see cref="EmulatorOptions.ResumptionHandleLifetime"/>.
/// </summary>
internal sealed class ResumptionRegistry(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, ResumptionEntry> _entries = new(StringComparer.Ordinal);

    public string Issue(SessionLineage lineage, ConversationState snapshot, string issuedBy, EmulatorBackend backend, string modelId)
    {
        var now = time.GetUtcNow();
        var handle = Guid.NewGuid().ToString();
        _entries[handle] = new ResumptionEntry(handle, lineage, snapshot, issuedBy, backend, modelId, now + lifetime);
        if (_entries.Count % 256 == 0)
        {
            foreach (var expired in _entries.Where(e => e.Value.ExpiresAt <= now))
            {
                _entries.TryRemove(expired.Key, out _);
            }
        }

        return handle;
    }

    public ResumptionEntry? Find(string handle) =>
        _entries.TryGetValue(handle, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry : null;
}

internal sealed record ResumptionEntry(
    string Handle,
    SessionLineage Lineage,
    ConversationState Snapshot,
    string IssuedBy,
    EmulatorBackend Backend,
    string ModelId,
    DateTimeOffset ExpiresAt);
