using System.Buffers;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// The caller audio sent since the newest resumable handle, kept so that a connection resumed with that handle can be
/// given it again (the service is assumed to keep nothing after the point the handle names; see DECISIONS.md).
/// </summary>
/// <remarks>
/// Bounded by duration (<see cref="DefaultCapacity"/>): beyond it the oldest chunk is dropped and counted in
/// <see cref="ModelSessionCounters.ReplayAudioDroppedChunks"/>. Written by the active connection's send loop, cleared
/// by the receive loop when a resumable handle arrives, taken by the session when a resumed connection is ready.
/// </remarks>
internal sealed class GeminiReplayBuffer
{
    /// <summary>At most this much caller audio is kept for replay.</summary>
    public static readonly TimeSpan DefaultCapacity = TimeSpan.FromSeconds(5);

    private readonly Queue<OutboundItem> _items = new();
    private readonly Lock _gate = new();
    private readonly ModelSessionCounters _counters;
    private readonly int _maxBytes;
    private int _bytes;

    public GeminiReplayBuffer(TimeSpan capacity, int sampleRate, ModelSessionCounters counters)
    {
        _counters = counters;
        _maxBytes = Math.Max(2, (int)(capacity.TotalSeconds * sampleRate * 2));
    }

    public int Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Keeps a copy of caller audio (or the audioStreamEnd marker) that was just written to the socket.</summary>
    public void Record(OutboundKind kind, ReadOnlySpan<byte> pcm)
    {
        byte[]? buffer = null;
        if (kind == OutboundKind.Audio)
        {
            buffer = ArrayPool<byte>.Shared.Rent(pcm.Length);
            pcm.CopyTo(buffer);
        }

        lock (_gate)
        {
            _items.Enqueue(new OutboundItem(kind, null, buffer, buffer is null ? 0 : pcm.Length));
            _bytes += buffer is null ? 0 : pcm.Length;
            while (_bytes > _maxBytes && _items.Count > 1 && _items.TryDequeue(out var oldest))
            {
                _bytes -= oldest.Length;
                if (oldest.Kind == OutboundKind.Audio)
                {
                    _counters.ReplayAudioDropped();
                }

                oldest.Release();
            }
        }
    }

    /// <summary>A new resumable handle covers everything sent so far: forget it.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            while (_items.TryDequeue(out var item))
            {
                item.Release();
            }

            _bytes = 0;
        }
    }

    /// <summary>Takes everything kept, oldest first; the caller owns the buffers.</summary>
    public OutboundItem[] Take()
    {
        lock (_gate)
        {
            var items = _items.ToArray();
            _items.Clear();
            _bytes = 0;
            return items;
        }
    }
}
