using System.Collections.Concurrent;

namespace PhoneAgent.Calls;

/// <summary>
/// <see cref="ICallStore"/> for one instance: a dictionary of immutable records, each change a compare-and-set loop.
/// Ended calls are forgotten after <see cref="Retention"/>, calls that never end after <see cref="AbandonedAfter"/>.
/// </summary>
internal sealed class InMemoryCallStore(TimeProvider timeProvider) : ICallStore
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(6);
    private const int SweepEvery = 256;

    private static readonly HashSet<string> TerminalStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        "completed", "busy", "failed", "no-answer", "canceled",
    };

    private readonly ConcurrentDictionary<string, CallRecord> _calls = new(StringComparer.Ordinal);
    private int _creates;

    public int Count => _calls.Count;

    public ValueTask<CallRecord> GetOrCreateAsync(NewCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Interlocked.Increment(ref _creates) % SweepEvery == 0)
        {
            Sweep();
        }

        var record = _calls.GetOrAdd(call.CallSid, static (sid, c) => new CallRecord
        {
            CallSid = sid,
            AccountSid = c.AccountSid,
            From = c.From,
            To = c.To,
            Profile = c.Profile,
            CallerAttestation = c.CallerAttestation,
            CreatedAt = c.At,
            Version = 1,
        }, call);
        return ValueTask.FromResult(record);
    }

    public ValueTask<CallRecord?> FindAsync(string callSid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_calls.GetValueOrDefault(callSid));

    public ValueTask<StreamRecord?> IssueStreamAsync(string callSid, int ordinal, DateTimeOffset issuedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        StreamRecord? issued = null;
        Update(callSid, call =>
        {
            var current = call.CurrentStream;
            var fresh = new StreamRecord { Ordinal = ordinal, IssuedAt = issuedAt, ExpiresAt = expiresAt };
            if ((current is null && ordinal == 1) || (current is not null && current.Ordinal == ordinal - 1))
            {
                issued = fresh;
                return call with { Streams = call.Streams.Add(fresh) };
            }

            if (current is not null && current.Ordinal == ordinal && current.ClaimedAt is null && current.EndedAt is null)
            {
                issued = current with { IssuedAt = issuedAt, ExpiresAt = expiresAt };
                return call with { Streams = call.Streams.SetItem(call.Streams.Count - 1, issued) };
            }

            issued = null;
            return null;
        });
        return ValueTask.FromResult(issued);
    }

    public ValueTask<StreamClaim> ClaimStreamAsync(string callSid, int ordinal, string streamSid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = StreamClaim.UnknownCall;
        Update(callSid, call =>
        {
            var index = call.Streams.FindIndex(s => s.Ordinal == ordinal);
            if (index < 0)
            {
                result = StreamClaim.NotIssued;
                return null;
            }

            var stream = call.Streams[index];
            result = stream.ClaimedAt is not null ? StreamClaim.AlreadyClaimed
                : index != call.Streams.Count - 1 ? StreamClaim.Superseded
                : now > stream.ExpiresAt ? StreamClaim.Expired
                : StreamClaim.Claimed;
            return result == StreamClaim.Claimed
                ? call with { Streams = call.Streams.SetItem(index, stream with { ClaimedAt = now, StreamSid = streamSid }) }
                : null;
        });
        return ValueTask.FromResult(result);
    }

    public ValueTask<bool> TrySetNextActionAsync(string callSid, int ordinal, NextAction action, CancellationToken cancellationToken)
    {
        var set = false;
        Update(callSid, call =>
        {
            var index = call.Streams.FindIndex(s => s.Ordinal == ordinal);
            set = index >= 0 && call.Streams[index].NextAction is null;
            return set ? call with { Streams = call.Streams.SetItem(index, call.Streams[index] with { NextAction = action }) } : null;
        });
        return ValueTask.FromResult(set);
    }

    public ValueTask EndStreamAsync(string callSid, int ordinal, StreamEndReason reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Update(callSid, call =>
        {
            var index = call.Streams.FindIndex(s => s.Ordinal == ordinal);
            return index >= 0 && call.Streams[index].EndedAt is null
                ? call with { Streams = call.Streams.SetItem(index, call.Streams[index] with { EndedAt = at, EndReason = reason }) }
                : null;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> AddStatusAsync(string callSid, CallStatusEvent status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var found = Update(callSid, call =>
        {
            var next = call with { StatusHistory = call.StatusHistory.Add(status) };
            if (status.Source == "call")
            {
                next = next with { CallStatus = status.Status };
                if (TerminalStatuses.Contains(status.Status) && call.EndedAt is null)
                {
                    next = next with { EndedAt = status.At, EndReason = call.EndReason ?? "call-status:" + status.Status };
                }
            }

            return next;
        });
        return ValueTask.FromResult(found);
    }

    public ValueTask AppendTranscriptAsync(string callSid, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count > 0)
        {
            // Redacted as the database stores do, so a transcript never holds card data whichever store keeps it.
            var redacted = entries.Select(static e => e with { Text = Privacy.Redactor.Redact(e.Text) }).ToList();
            Update(callSid, call => call with { Transcript = call.Transcript.AddRange(redacted) });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetRecordingAsync(string callSid, string recordingSid, CancellationToken cancellationToken)
    {
        var found = Update(callSid, call => call.RecordingSid is null ? call with { RecordingSid = recordingSid } : null);
        return ValueTask.FromResult(found);
    }

    public ValueTask<bool> TrySetEndReasonAsync(string callSid, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var set = false;
        Update(callSid, call =>
        {
            set = call.EndReason is null;
            return set ? call with { EndReason = reason, EndedAt = call.EndedAt ?? at } : null;
        });
        return ValueTask.FromResult(set);
    }

    /// <summary>Applies <paramref name="change"/> with compare-and-set; <see langword="false"/> when the call is unknown.</summary>
    /// <param name="callSid">The call.</param>
    /// <param name="change">Returns the new record, or <see langword="null"/> for "no change". May run more than once.</param>
    private bool Update(string callSid, Func<CallRecord, CallRecord?> change)
    {
        while (true)
        {
            if (!_calls.TryGetValue(callSid, out var current))
            {
                return false;
            }

            var next = change(current);
            if (next is null)
            {
                return true;
            }

            if (_calls.TryUpdate(callSid, next with { Version = current.Version + 1 }, current))
            {
                return true;
            }
        }
    }

    private void Sweep()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (sid, call) in _calls)
        {
            if ((call.EndedAt is { } ended && now - ended > Retention) || now - call.CreatedAt > AbandonedAfter)
            {
                _calls.TryRemove(KeyValuePair.Create(sid, call));
            }
        }
    }
}
