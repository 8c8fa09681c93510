using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace PhoneAgent.Model.Gemini;

/// <summary>What the session's single writer sends.</summary>
internal enum OutboundKind
{
    Audio = 1,
    AudioStreamEnd = 2,
    Text = 3,
    Content = 4,
    ToolResult = 5,
}

/// <summary>One queued client message. Audio holds a rented buffer, returned by <see cref="Release"/>.</summary>
internal readonly record struct OutboundItem(OutboundKind Kind, object? Payload, byte[]? Buffer, int Length)
{
    public void Release()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}

/// <summary>
/// The session's outbound queues, drained by the send loop of whichever connection is active (one writer per socket).
/// </summary>
/// <remarks>
/// Policy: replayed caller audio (<see cref="EnqueueReplay"/>) goes before everything. Control messages (text, content, tool results) are unbounded and always go first; they are small and each
/// one matters. Caller audio (and the audioStreamEnd marker, which must follow the audio it ends) is bounded by
/// duration: beyond <c>Gemini:MaxPendingInputAudio</c> (≤ 2 s) the oldest chunk is dropped and counted, because stale
/// caller audio is worthless while no socket can take it (before setupComplete, during a reconnect or hand-over).
/// </remarks>
internal sealed class GeminiOutboundQueue
{
    private readonly ConcurrentQueue<OutboundItem> _replay = new();
    private readonly ConcurrentQueue<OutboundItem> _control = new();
    private readonly Queue<OutboundItem> _audio = new();
    private readonly Lock _audioGate = new();
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ModelSessionCounters _counters;
    private readonly int _maxAudioBytes;
    private int _audioBytes;
    private bool _completed;

    public GeminiOutboundQueue(TimeSpan maxPendingAudio, int sampleRate, ModelSessionCounters counters)
    {
        _counters = counters;
        _maxAudioBytes = Math.Max(2, (int)(maxPendingAudio.TotalSeconds * sampleRate * 2));
    }

    public int PendingAudioBytes
    {
        get
        {
            lock (_audioGate)
            {
                return _audioBytes;
            }
        }
    }

    public void EnqueueAudio(ReadOnlySpan<byte> pcm)
    {
        if (pcm.IsEmpty)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(pcm.Length);
        pcm.CopyTo(buffer);
        EnqueueAudioItem(new OutboundItem(OutboundKind.Audio, null, buffer, pcm.Length));
    }

    public void EnqueueAudioStreamEnd() => EnqueueAudioItem(new OutboundItem(OutboundKind.AudioStreamEnd, null, null, 0));

    public void EnqueueControl(OutboundKind kind, object payload)
    {
        if (Volatile.Read(ref _completed))
        {
            return;
        }

        _control.Enqueue(new OutboundItem(kind, payload, null, 0));
        _doorbell.Writer.TryWrite(true);
    }

    private void EnqueueAudioItem(OutboundItem item)
    {
        lock (_audioGate)
        {
            if (_completed)
            {
                item.Release();
                return;
            }

            _audio.Enqueue(item);
            _audioBytes += item.Length;
            while (_audioBytes > _maxAudioBytes && _audio.Count > 1 && _audio.TryDequeue(out var oldest))
            {
                _audioBytes -= oldest.Length;
                if (oldest.Kind == OutboundKind.Audio)
                {
                    _counters.InputAudioDropped(oldest.Length);
                }

                oldest.Release();
            }
        }

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>
    /// Queues caller audio to send again, ahead of everything else (a resumed connection gets the audio sent after
    /// its handle before anything queued during the switch). Not bounded here: <see cref="GeminiReplayBuffer"/> is.
    /// Only called while no send loop runs (before the resumed connection starts sending).
    /// </summary>
    public void EnqueueReplay(IEnumerable<OutboundItem> items)
    {
        if (Volatile.Read(ref _completed))
        {
            foreach (var item in items)
            {
                item.Release();
            }

            return;
        }

        foreach (var item in items)
        {
            _replay.Enqueue(item);
        }

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>Replayed audio first, then control, then audio in order.</summary>
    public bool TryDequeue(out OutboundItem item)
    {
        if (_replay.TryDequeue(out item))
        {
            return true;
        }

        if (_control.TryDequeue(out item))
        {
            return true;
        }

        lock (_audioGate)
        {
            if (_audio.TryDequeue(out item))
            {
                _audioBytes -= item.Length;
                return true;
            }
        }

        return false;
    }

    /// <summary>Puts an item that could not be sent back at the front (audio) or the back (control) of its queue.</summary>
    public void Requeue(OutboundItem item)
    {
        if (item.Kind is OutboundKind.Audio or OutboundKind.AudioStreamEnd)
        {
            lock (_audioGate)
            {
                if (_completed)
                {
                    item.Release();
                    return;
                }

                var rest = _audio.ToArray();
                _audio.Clear();
                _audio.Enqueue(item);
                foreach (var queued in rest)
                {
                    _audio.Enqueue(queued);
                }

                _audioBytes += item.Length;
            }
        }
        else
        {
            _control.Enqueue(item);
        }

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>Waits until something may be queued; <see langword="false"/> once the queue is completed.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (!_replay.IsEmpty || !_control.IsEmpty || PendingAudioBytes > 0)
        {
            return true;
        }

        if (!await _doorbell.Reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        _doorbell.Reader.TryRead(out _);
        return true;
    }

    /// <summary>Drops everything (session over) and refuses what comes later.</summary>
    public void Complete()
    {
        lock (_audioGate)
        {
            _completed = true;
            while (_audio.TryDequeue(out var item))
            {
                item.Release();
            }

            _audioBytes = 0;
        }

        _control.Clear();
        while (_replay.TryDequeue(out var replayed))
        {
            replayed.Release();
        }

        _doorbell.Writer.TryComplete();
    }
}
