using System.Text;

namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// The observable record of one WebSocket connection: what arrived, what was sent, what the emulator decided, and how
/// it ended. Thread-safe; properties and <see cref="Entries"/> are snapshots. A resumed session is a new connection
/// with the same <see cref="SessionId"/> and a higher <see cref="ConnectionNumber"/>.
/// </summary>
public sealed class EmulatorSessionLog
{
    private readonly Lock _lock = new();
    private readonly List<EmulatorLogEntry> _entries = [];
    private readonly List<string> _handles = [];
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromSeconds(1);
    private readonly int _maxEntries;
    private AudioRun? _audioRun;

    internal EmulatorSessionLog(string connectionId, EmulatorBackend backend, string path, string apiVersion, DateTimeOffset connectedAt, int maxEntries)
    {
        ConnectionId = connectionId;
        Backend = backend;
        Path = path;
        ApiVersion = apiVersion;
        ConnectedAt = connectedAt;
        _maxEntries = maxEntries;
    }

    /// <summary>Unique per connection, in order of arrival: <c>c1</c>, <c>c2</c>, ….</summary>
    public string ConnectionId { get; }

    public EmulatorBackend Backend { get; }

    /// <summary>The request path as normalised (a doubled leading slash is collapsed).</summary>
    public string Path { get; }

    public string ApiVersion { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The session this connection belongs to (shared by resumed connections); null before setup.</summary>
    public string? SessionId { get; internal set; }

    /// <summary>1 for a fresh session, 2 for its first resumption, ….</summary>
    public int ConnectionNumber { get; internal set; }

    public string? Model { get; internal set; }

    /// <summary>The handle this connection's setup resumed from, if any.</summary>
    public string? ResumedWithHandle { get; internal set; }

    /// <summary>True from setupComplete until the connection ends.</summary>
    public bool SetupCompleted { get; internal set; }

    /// <summary>Caller turns of the session so far (continues across resumed connections).</summary>
    public int TurnCount { get; internal set; }

    public bool IsOpen => ClosedAt is null;

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The close code sent or received; null for a transport loss.</summary>
    public int? CloseCode { get; private set; }

    public string? CloseReason { get; private set; }

    public EmulatorCloseInitiator? ClosedBy { get; private set; }

    /// <summary>Entries not kept because the log reached its size limit.</summary>
    public int DroppedEntries { get; private set; }

    /// <summary>Handles issued with <c>resumable: true</c>, oldest first.</summary>
    public IReadOnlyList<string> IssuedHandles
    {
        get
        {
            lock (_lock)
            {
                return [.. _handles];
            }
        }
    }

    public IReadOnlyList<EmulatorLogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                UpdateAudioRun();
                return [.. _entries];
            }
        }
    }

    /// <summary>Messages the client sent of one kind (<c>setup</c>, <c>realtimeInput.audio</c>, …).</summary>
    public IReadOnlyList<EmulatorLogEntry> Received(string kind) => Find(EmulatorLogDirection.Received, kind);

    /// <summary>Messages the emulator sent of one kind (<c>serverContent.turnComplete</c>, <c>toolCall</c>, …).</summary>
    public IReadOnlyList<EmulatorLogEntry> Sent(string kind) => Find(EmulatorLogDirection.Sent, kind);

    public IReadOnlyList<EmulatorLogEntry> Notes(string kind) => Find(EmulatorLogDirection.Note, kind);

    /// <summary>The whole log, one entry per line.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(ConnectionId).Append(' ').Append(Backend).Append(' ').Append(Path);
        if (SessionId is not null)
        {
            builder.Append(" session ").Append(SessionId).Append(" #").Append(ConnectionNumber);
        }

        builder.AppendLine();
        foreach (var entry in Entries)
        {
            builder.AppendLine(entry.ToString());
        }

        return builder.ToString();
    }

    internal void Add(EmulatorLogEntry entry)
    {
        lock (_lock)
        {
            if (_entries.Count >= _maxEntries)
            {
                DroppedEntries++;
                return;
            }

            EndAudioRun();
            _entries.Add(entry);
        }
    }

    /// <summary>
    /// Caller audio: consecutive messages within a second of the first share one entry ("32000 B (1000 ms, …) in 50
    /// messages"), so a long call's log stays small and readable. The run is counted per message and its entry
    /// rewritten only when the log is read or the run ends (50 messages a second per call must not each cost an entry).
    /// </summary>
    internal void AddCallerAudio(TimeSpan at, string kind, int bytes, int sampleRate, string mimeType)
    {
        lock (_lock)
        {
            if (_audioRun is { } run && run.MimeType == mimeType && at - run.At < CoalesceWindow)
            {
                run.Add(bytes, sampleRate);
                return;
            }

            EndAudioRun();
            if (_entries.Count >= _maxEntries)
            {
                DroppedEntries++;
                return;
            }

            _audioRun = new AudioRun(_entries.Count, at, kind, mimeType);
            _audioRun.Add(bytes, sampleRate);
            _entries.Add(_audioRun.ToEntry());
        }
    }

    internal void AddHandle(string handle)
    {
        lock (_lock)
        {
            _handles.Add(handle);
        }
    }

    internal void MarkClosed(DateTimeOffset at, int? code, string? reason, EmulatorCloseInitiator initiator)
    {
        lock (_lock)
        {
            if (ClosedAt is not null)
            {
                return;
            }

            CloseCode = code;
            CloseReason = reason;
            ClosedBy = initiator;
            ClosedAt = at;
        }
    }

    /// <summary>Writes the open audio run's totals into its entry (under the lock).</summary>
    private void UpdateAudioRun()
    {
        if (_audioRun is { Changed: true } run)
        {
            _entries[run.Index] = run.ToEntry();
        }
    }

    /// <summary>Another entry follows: the open audio run is final.</summary>
    private void EndAudioRun()
    {
        UpdateAudioRun();
        _audioRun = null;
    }

    /// <summary>The caller audio entry being coalesced: the last entry of the log, at <see cref="Index"/>.</summary>
    private sealed class AudioRun(int index, TimeSpan at, string kind, string mimeType)
    {
        public int Index { get; } = index;

        public TimeSpan At { get; } = at;

        public string MimeType { get; } = mimeType;

        /// <summary>Messages were added since <see cref="ToEntry"/>.</summary>
        public bool Changed { get; private set; }

        private int Bytes { get; set; }

        private double Milliseconds { get; set; }

        private int Messages { get; set; }

        public void Add(int bytes, int sampleRate)
        {
            Bytes += bytes;
            Milliseconds += bytes / 2.0 / sampleRate * 1000;
            Messages++;
            Changed = true;
        }

        public EmulatorLogEntry ToEntry()
        {
            Changed = false;
            var text = $"{Bytes} B ({Milliseconds:0} ms, {MimeType})" + (Messages > 1 ? $" in {Messages} messages" : "");
            return new EmulatorLogEntry(At, EmulatorLogDirection.Received, kind, text) { AudioBytes = Bytes };
        }
    }

    private List<EmulatorLogEntry> Find(EmulatorLogDirection direction, string kind)
    {
        lock (_lock)
        {
            UpdateAudioRun();
            return [.. _entries.Where(e => e.Direction == direction && e.Kind == kind)];
        }
    }
}
