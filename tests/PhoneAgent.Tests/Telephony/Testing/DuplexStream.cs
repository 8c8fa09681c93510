using System.IO.Pipelines;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>One end of an in-memory connection: reads what the other end writes. Pipes give real backpressure.</summary>
public sealed class DuplexStream(PipeReader input, PipeWriter output) : Stream
{
    private readonly Stream _input = input.AsStream();
    private readonly Stream _output = output.AsStream();

    /// <summary>Two connected ends; a writer blocks once <paramref name="pauseAt"/> bytes wait unread.</summary>
    public static (DuplexStream Server, DuplexStream Client) CreatePair(long pauseAt = 64 * 1024)
    {
        var options = new PipeOptions(pauseWriterThreshold: pauseAt, resumeWriterThreshold: pauseAt / 2, useSynchronizationContext: false);
        var toClient = new Pipe(options);
        var toServer = new Pipe(options);
        return (new DuplexStream(toServer.Reader, toClient.Writer), new DuplexStream(toClient.Reader, toServer.Writer));
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => _output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _output.Dispose();
        }

        base.Dispose(disposing);
    }
}
