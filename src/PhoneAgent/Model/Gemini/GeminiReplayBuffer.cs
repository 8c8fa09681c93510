using System.Buffers;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// The caller audio sent since the newest resumable handle, kept so that a connection resumed with that handle can be
/// given it again (the service is assumed to keep nothing after the point the handle names; see DECISIONS.md).
/// </summary>
/// <remarks>
/// <para>
/// Bounded by duration (<see cref="DefaultCapacity"/>): beyond it the oldest chunk is dropped and counted in
/// <see cref="ModelSessionCounters.ReplayAudioDroppedChunks"/>. Written by the active connection's send loop, cleared
/// by the receive loop when a resumable handle arrives, taken by the session when a resumed connection is ready.
/// </para>
/// <para>
/// The audio lives in a ring of this session's own segments, copied in as it is sent: nothing is allocated per chunk.
/// A first version rented a pooled array per chunk; at 200 calls that was 5 s × 32 KB/s of audio per call held past
/// the pool's per-core capacity, so most rents allocated, 40 % of the server's allocations, and every byte lived long
/// enough to be copied out of gen0 (23 MB promoted per collection, 50 ms pauses). Segments stay under the
/// large-object threshold, are taken only as far as the ring has grown, and go back to a pool shared by every session
/// when the session ends (<see cref="Release"/>), so a new call reuses an ended call's segments instead of allocating
/// memory that lives as long as the call and is copied out of gen0 on the way.
/// </para>
/// </remarks>
internal sealed class GeminiReplayBuffer
{
    /// <summary>At most this much caller audio is kept for replay.</summary>
    public static readonly TimeSpan DefaultCapacity = TimeSpan.FromSeconds(5);

    private const int SegmentBytes = 16 * 1024;

    /// <summary>Segments of ended sessions (at most 10 per call in flight are in use; this keeps up to 4,096 spare).</summary>
    private static readonly ArrayPool<byte> Segments = ArrayPool<byte>.Create(SegmentBytes, 4096);

    private readonly Queue<(OutboundKind Kind, int Length)> _items = new();
    private readonly Lock _gate = new();
    private readonly ModelSessionCounters _counters;
    private readonly byte[]?[] _segments;
    private readonly int _capacity;
    private int _start; // ring offset of the oldest byte kept
    private int _bytes;
    private bool _released;

    public GeminiReplayBuffer(TimeSpan capacity, int sampleRate, ModelSessionCounters counters)
    {
        _counters = counters;
        var maxBytes = Math.Max(2, (int)(capacity.TotalSeconds * sampleRate * 2));
        _segments = new byte[]?[(maxBytes + SegmentBytes - 1) / SegmentBytes];
        _capacity = _segments.Length * SegmentBytes;
        MaxBytes = maxBytes;
    }

    /// <summary>The most audio kept, in bytes.</summary>
    public int MaxBytes { get; }

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
        if (kind != OutboundKind.Audio)
        {
            pcm = default;
        }

        lock (_gate)
        {
            if (_released)
            {
                return; // the session has ended; its segments may already serve another one
            }

            if (pcm.Length > MaxBytes)
            {
                // Longer than everything kept (never from the bridge's 20–100 ms chunks): keeping its tail would replay
                // half a chunk, so the history is dropped and this chunk with it.
                DropAllLocked();
                _counters.ReplayAudioDropped();
                return;
            }

            while (_bytes + pcm.Length > MaxBytes && _items.TryDequeue(out var oldest))
            {
                _start = (_start + oldest.Length) % _capacity;
                _bytes -= oldest.Length;
                if (oldest.Kind == OutboundKind.Audio)
                {
                    _counters.ReplayAudioDropped();
                }
            }

            Copy(pcm, (_start + _bytes) % _capacity);
            _bytes += pcm.Length;
            _items.Enqueue((kind, pcm.Length));
        }
    }

    /// <summary>A new resumable handle covers everything sent so far: forget it.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            ResetLocked();
        }
    }

    /// <summary>Takes everything kept, oldest first, each chunk in a rented buffer the caller owns (and releases).</summary>
    public OutboundItem[] Take()
    {
        lock (_gate)
        {
            var items = new OutboundItem[_items.Count];
            var position = _start;
            var i = 0;
            foreach (var (kind, length) in _items)
            {
                byte[]? buffer = null;
                if (kind == OutboundKind.Audio)
                {
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                    CopyOut(position, buffer.AsSpan(0, length));
                    position = (position + length) % _capacity;
                }

                items[i++] = new OutboundItem(kind, null, buffer, buffer is null ? 0 : length);
            }

            ResetLocked();
            return items;
        }
    }

    /// <summary>The session has ended: forgets everything and gives the segments back for other sessions.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _released = true;
            ResetLocked();
            for (var i = 0; i < _segments.Length; i++)
            {
                if (_segments[i] is { } segment)
                {
                    Segments.Return(segment);
                    _segments[i] = null;
                }
            }
        }
    }

    private void DropAllLocked()
    {
        foreach (var item in _items)
        {
            if (item.Kind == OutboundKind.Audio)
            {
                _counters.ReplayAudioDropped();
            }
        }

        ResetLocked();
    }

    private void ResetLocked()
    {
        _items.Clear();
        _start = 0;
        _bytes = 0;
    }

    /// <summary>Copies <paramref name="source"/> into the ring from <paramref name="position"/>, across segments and the wrap.</summary>
    private void Copy(ReadOnlySpan<byte> source, int position)
    {
        while (!source.IsEmpty)
        {
            var segment = _segments[position / SegmentBytes] ??= Segments.Rent(SegmentBytes);
            var offset = position % SegmentBytes;
            var n = Math.Min(source.Length, SegmentBytes - offset);
            source[..n].CopyTo(segment.AsSpan(offset));
            source = source[n..];
            position = (position + n) % _capacity;
        }
    }

    private void CopyOut(int position, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var segment = _segments[position / SegmentBytes]!;
            var offset = position % SegmentBytes;
            var n = Math.Min(destination.Length, SegmentBytes - offset);
            segment.AsSpan(offset, n).CopyTo(destination);
            destination = destination[n..];
            position = (position + n) % _capacity;
        }
    }
}
