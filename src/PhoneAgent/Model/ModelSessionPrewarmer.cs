using System.Collections.Concurrent;

namespace PhoneAgent.Model;

/// <inheritdoc cref="IModelSessionPrewarmer"/>
internal sealed partial class ModelSessionPrewarmer(IRealtimeModelClient client, TimeProvider timeProvider, TimeSpan timeout, ILogger<ModelSessionPrewarmer> logger)
    : IModelSessionPrewarmer, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _waiting = new(StringComparer.Ordinal);

    /// <summary>Sessions waiting to be claimed.</summary>
    public int Count => _waiting.Count;

    public bool Prewarm(string key, ModelSessionConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(config);
        if (_waiting.ContainsKey(key))
        {
            return false;
        }

        var session = client.Open(config);
        var entry = new Entry(session);
        if (!_waiting.TryAdd(key, entry))
        {
            _ = session.DisposeAsync().AsTask();
            return false;
        }

        entry.Timer = timeProvider.CreateTimer(static state => ((Expiry)state!).Fire(), new Expiry(this, key, entry), timeout, Timeout.InfiniteTimeSpan);
        Log.Prewarming(logger, key, session.Id);
        return true;
    }

    public IRealtimeModelSession? Claim(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!_waiting.TryRemove(key, out var entry))
        {
            return null;
        }

        entry.Timer?.Dispose();
        if (entry.Session.Completion.IsCompleted)
        {
            Log.PrewarmedFailed(logger, key, entry.Session.Id, entry.Session.Completion.Result.Reason);
            _ = entry.Session.DisposeAsync().AsTask();
            return null;
        }

        Log.Claimed(logger, key, entry.Session.Id, entry.Session.Ready.IsCompletedSuccessfully);
        return entry.Session;
    }

    private void Expire(string key, Entry entry)
    {
        if (_waiting.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
        {
            Log.Expired(logger, key, entry.Session.Id, timeout);
            _ = entry.Session.DisposeAsync().AsTask();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in _waiting.Keys)
        {
            if (_waiting.TryRemove(key, out var entry))
            {
                entry.Timer?.Dispose();
                await entry.Session.DisposeAsync();
            }
        }
    }

    private sealed class Entry(IRealtimeModelSession session)
    {
        public IRealtimeModelSession Session { get; } = session;

        public ITimer? Timer { get; set; }
    }

    private sealed record Expiry(ModelSessionPrewarmer Owner, string Key, Entry Entry)
    {
        public void Fire() => Owner.Expire(Key, Entry);
    }

    private static partial class Log
    {
        [LoggerMessage(385, LogLevel.Information, "Pre-warming model session {SessionId} for {Key}", EventName = "ModelSessionPrewarming")]
        public static partial void Prewarming(ILogger logger, string key, string sessionId);

        [LoggerMessage(386, LogLevel.Information, "Pre-warmed model session {SessionId} claimed for {Key} (ready: {Ready})", EventName = "ModelSessionClaimed")]
        public static partial void Claimed(ILogger logger, string key, string sessionId, bool ready);

        [LoggerMessage(387, LogLevel.Warning, "Pre-warmed model session {SessionId} for {Key} was not claimed within {Timeout}; closed", EventName = "ModelSessionPrewarmExpired")]
        public static partial void Expired(ILogger logger, string key, string sessionId, TimeSpan timeout);

        [LoggerMessage(388, LogLevel.Warning, "Pre-warmed model session {SessionId} for {Key} had already ended ({Reason}); not handed out", EventName = "ModelSessionPrewarmFailed")]
        public static partial void PrewarmedFailed(ILogger logger, string key, string sessionId, ModelSessionEndReason reason);
    }
}
