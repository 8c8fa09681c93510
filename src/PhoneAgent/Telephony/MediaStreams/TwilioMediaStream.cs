using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// Owns one Twilio Media Streams WebSocket: the transport the bridge talks to.
/// </summary>
/// <remarks>
/// <code>
///  Twilio WS ─► ReceiveLoop ─┬─► CallerAudio (bounded 25, DropOldest: stale caller audio is worthless)
///                            ├─► Events (start, dtmf, mark echo, stop) + PlaybackTracker
///                            └─► protocol issues: counted always, logged once per call, never fatal
///  EnqueueAudio/EndTurn ─► outbound queue (whole 160-byte frames, marks in order) ─┐
///  ClearAsync ─► drop queued frames of old turns, then a priority clear ───────────┼─► SendLoop (the one writer) ─► Twilio WS
///  CloseAsync ─► close frame (highest priority) ───────────────────────────────────┘
/// </code>
/// (1) <see cref="Run"/> starts both loops. (2) The handshake waits for <c>start</c> (<see cref="WaitForStartAsync"/>).
/// (3) First loop to finish wins: the other gets <see cref="CloseTimeout"/>, then the socket is aborted.
/// (4) <see cref="Completion"/> reports how the stream ended.
/// </remarks>
internal sealed partial class TwilioMediaStream : IAsyncDisposable
{
    /// <summary>20 ms of μ-law at 8 kHz.</summary>
    public const int FrameBytes = 160;

    /// <summary>Caller frames kept when the reader falls behind (≈ 500 ms); older ones are dropped.</summary>
    public const int CallerAudioCapacity = 25;

    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly TwilioMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxMessageBytes;
    private readonly Channel<InboundAudioFrame> _callerAudio;
    private readonly Channel<MediaStreamEvent> _events;
    private readonly TaskCompletionSource<StreamStartInfo?> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _closed = new();
    private Task<StreamEndReason>? _completion;
    private StreamStartInfo? _start;
    private byte[] _streamSidUtf8 = [];
    private volatile bool _stopReceived;

    public TwilioMediaStream(WebSocket socket, int maxMessageBytes, TwilioMetrics metrics, ILogger logger, TimeProvider timeProvider)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _sendToken = _stopSending.Token; // kept: the inline writer may still look at it while the stream is disposed
        _callerAudio = Channel.CreateBounded<InboundAudioFrame>(
            new BoundedChannelOptions(CallerAudioCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
                SingleReader = true,
            },
            frame =>
            {
                frame.Dispose();
                _metrics.FramesDropped("in", "reader-behind", 1);
            });

        // Unbounded: at most one item per mark we sent, per key press, plus start and stop. The tracker keeps the
        // truth, so a handler that only cares about audio may ignore this channel.
        _events = Channel.CreateUnbounded<MediaStreamEvent>(new UnboundedChannelOptions { SingleWriter = true });
    }

    /// <summary>What <c>start</c> said; <see langword="null"/> before it arrives.</summary>
    public StreamStartInfo? Start => _start;

    /// <summary>Caller audio in arrival order. Completed on <c>stop</c> or when the socket ends. Dispose each frame.</summary>
    public ChannelReader<InboundAudioFrame> CallerAudio => _callerAudio.Reader;

    /// <summary>Control events in arrival order, <see cref="MediaStreamEvent.Started"/> first. Completed after <c>stop</c> or when the socket ends.</summary>
    public ChannelReader<MediaStreamEvent> Events => _events.Reader;

    /// <summary>What the caller heard of each turn.</summary>
    public PlaybackTracker Playback { get; } = new();

    /// <summary>Cancelled when the socket is finished (either side closed, or it failed).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>How the stream ended; completes after both loops are done. Never faults.</summary>
    public Task<StreamEndReason> Completion => _completion ?? throw new InvalidOperationException("Run() was not called.");

    /// <summary>Starts the receive and send loops.</summary>
    /// <param name="aborted">The request's abort token (the connection is gone).</param>
    public void Run(CancellationToken aborted)
    {
        if (_completion is not null)
        {
            throw new InvalidOperationException("Run() was called already.");
        }

        _completion = RunAsync(aborted);
    }

    /// <summary>Waits for <c>start</c>; <see langword="null"/> when it does not come within <paramref name="timeout"/> or the socket ends first.</summary>
    public async Task<StreamStartInfo?> WaitForStartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _started.Task.WaitAsync(timeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_completion is not null)
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, "closing", StreamEndReason.ClosedByServer);
            await _completion;
        }

        _stopSending.Dispose();
        _closed.Dispose();
        await _json.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<StreamEndReason> RunAsync(CancellationToken aborted)
    {
        await Task.Yield();
        using var receiveCts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receive = ReceiveLoopAsync(receiveCts.Token);
        var send = SendLoopAsync(_stopSending.Token);

        // :: Step 3: first to finish wins, then clean up the other side.
        var first = await Task.WhenAny(receive, send);
        StreamEndReason reason;
        if (first == receive)
        {
            reason = await receive;
            if (_socket.State == WebSocketState.CloseReceived)
            {
                // Twilio closed: answer its close frame through the writer (the one sender).
                RequestClose(WebSocketCloseStatus.NormalClosure, "bye", reason);
            }
            else if (reason == StreamEndReason.MessageTooBig)
            {
                // Close with 1009, then read (and drop) until Twilio answers the close, so the close frame is not
                // lost to a TCP reset over unread data.
                RequestClose(WebSocketCloseStatus.MessageTooBig, "message too big", reason);
                await WaitOrAbortAsync(send);
                await WaitOrAbortAsync(DrainUntilCloseAsync(aborted));
            }
            else if (_socket.State != WebSocketState.CloseSent)
            {
                await _stopSending.CancelAsync(); // the socket is gone: nothing more to send
            }

            await WaitOrAbortAsync(send);
        }
        else
        {
            // The writer finished: it sent our close frame, or failed. Give Twilio time to answer the close.
            await WaitOrAbortAsync(receive);
            reason = await receive;
        }

        reason = FinalReason(reason);
        await ObserveAsync(send);
        _socket.Abort();
        CompleteChannels();
        ReleaseOutbound();
        Playback.OnStreamEnded();
        _started.TrySetResult(null);
        await _closed.CancelAsync();
        return reason;
    }

    private async Task DrainUntilCloseAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer went away instead: the abort below ends it.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private StreamEndReason FinalReason(StreamEndReason receiveReason) =>
        _stopReceived ? StreamEndReason.Stopped
        : _closeReason is { } requested ? requested
        : receiveReason;

    private async Task WaitOrAbortAsync(Task other)
    {
        try
        {
            await other.WaitAsync(CloseTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            _socket.Abort();
            await _stopSending.CancelAsync();
        }
        catch (Exception) when (other.IsFaulted || other.IsCanceled)
        {
            // Observed below.
        }
    }

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The writer's failures are the socket's: already reported by the receive side.
        }
    }

    private void CompleteChannels()
    {
        _callerAudio.Writer.TryComplete();
        _events.Writer.TryComplete();
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);
}
