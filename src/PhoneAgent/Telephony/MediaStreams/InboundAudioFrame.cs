using System.Buffers;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// One inbound <c>media</c> payload: μ-law 8 kHz mono, usually 160 bytes (20 ms), in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>. Whoever reads it from <see cref="TwilioMediaStream.CallerAudio"/> owns it and must
/// <see cref="Dispose"/> it exactly once (copies of the struct share the buffer).
/// </summary>
internal readonly struct InboundAudioFrame : IDisposable
{
    private readonly byte[]? _buffer;

    internal InboundAudioFrame(byte[] buffer, int length, long timestamp, long chunk, long sequenceNumber)
    {
        _buffer = buffer;
        Length = length;
        Timestamp = timestamp;
        Chunk = chunk;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>The μ-law bytes; sized from the payload, never assumed to be 160.</summary>
    public ReadOnlySpan<byte> MuLaw => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public int Length { get; }

    /// <summary><c>media.timestamp</c>: milliseconds since the stream started (-1 when absent). Place audio by this, not by arrival.</summary>
    public long Timestamp { get; }

    /// <summary><c>media.chunk</c> (-1 when absent).</summary>
    public long Chunk { get; }

    public long SequenceNumber { get; }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
