using System.Buffers;

namespace PhoneAgent.Model;

/// <summary>
/// A piece of model speech in a pooled buffer: PCM16 LE mono at <see cref="SampleRate"/>. Whoever holds it last
/// disposes it once (the session does so for chunks it drops).
/// </summary>
public sealed class ModelAudioChunk : IDisposable
{
    private byte[]? _buffer;

    internal ModelAudioChunk(byte[] rentedBuffer, int length, int sampleRate, long turn, long sequence)
    {
        _buffer = rentedBuffer;
        Length = length;
        SampleRate = sampleRate;
        Turn = turn;
        Sequence = sequence;
    }

    /// <summary>The model turn this audio belongs to (see <see cref="Interrupted"/>, <see cref="TurnComplete"/>).</summary>
    public long Turn { get; }

    /// <summary>Running number of chunks in this session, from 0.</summary>
    public long Sequence { get; }

    public int SampleRate { get; }

    public int Length { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds(Length / 2.0 / SampleRate);

    /// <exception cref="ObjectDisposedException">The chunk was disposed.</exception>
    public ReadOnlyMemory<byte> Pcm => new(_buffer ?? throw new ObjectDisposedException(nameof(ModelAudioChunk)), 0, Length);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
