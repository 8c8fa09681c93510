using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PhoneAgent.Telephony;
using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Tests.Telephony;

/// <summary>
/// When nobody else is writing, a frame reaches the socket on the thread that queued it (no thread-pool hop), and
/// that path allocates nothing per frame.
/// </summary>
public sealed class TwilioMediaStreamInlineWriteTests
{
    private const string StreamSid = "MZ0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task A_frame_is_on_the_socket_when_EnqueueAudio_returns_and_costs_no_allocation()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var toServer = new Pipe();
        var wire = new CountingStream(toServer.Reader.AsStream());
        var server = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        using var client = WebSocket.CreateFromStream(new WriteOnlyStream(toServer.Writer.AsStream()), new WebSocketCreationOptions { KeepAliveInterval = Timeout.InfiniteTimeSpan });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stream = new TwilioMediaStream(server, 64 * 1024, new TwilioMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger.Instance, TimeProvider.System);
        await using var _ = stream;
        stream.Run(cts.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""), WebSocketMessageType.Text, true, cts.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes($$"""{"event":"start","sequenceNumber":"1","streamSid":"{{StreamSid}}","start":{"streamSid":"{{StreamSid}}","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1} } }"""), WebSocketMessageType.Text, true, cts.Token);
        Assert.NotNull(await stream.WaitForStartAsync(TimeSpan.FromSeconds(5), cts.Token));

        var frame = new byte[160];
        var tagsSent = 0;
        stream.FrameSent = (_, _) => tagsSent++;
        Send(200); // warm up: JIT, pools

        // Each frame is written before EnqueueAudio returns: bytes reach the socket and its send is reported on this thread.
        for (var i = 1; i <= 20; i++)
        {
            var before = wire.Written;
            Assert.True(stream.EnqueueAudio(1, frame, mark: false, sendTag: i));
            Assert.True(wire.Written > before, $"frame {i} was not written on the caller's thread");
            Assert.Equal(i, tagsSent);
        }

        // Per frame, nothing; a one-off of a few dozen bytes (a lock's first contention with the reader) may show.
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        Send(1000);
        Assert.Equal(0, (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1000);
        await toServer.Writer.CompleteAsync(); // the caller hangs up: the stream ends

        void Send(int frames)
        {
            for (var i = 0; i < frames; i++)
            {
                stream.EnqueueAudio(1, frame, mark: false);
            }
        }
    }

    /// <summary>The server's end: reads what the client wrote, counts and discards what the server writes (never blocks).</summary>
    private sealed class CountingStream(Stream input) : Stream
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        // The web socket flushes after each message; Stream's default would do that on the thread pool.
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => input.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => Interlocked.Add(ref _written, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _written, buffer.Length);
            return ValueTask.CompletedTask;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The client's end: writes to the server; reads nothing (the test does not look at what the server sends).</summary>
    private sealed class WriteOnlyStream(Stream output) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => output.WriteAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
