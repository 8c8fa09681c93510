using System.Buffers;
using System.Net.WebSockets;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PhoneAgent.Model.Gemini;

/// <summary>What a connection reports to its session, from its receive loop.</summary>
internal interface IGeminiConnectionHandler
{
    /// <summary>setupComplete arrived (called once, before any later message of this connection is handled).</summary>
    void OnReady(GeminiConnection connection, GeminiServerMessage message);

    /// <summary>Any other message, in arrival order.</summary>
    void OnMessage(GeminiConnection connection, GeminiServerMessage message);

    /// <summary>A frame that is not a valid server message; it is skipped.</summary>
    void OnBadFrame(GeminiConnection connection, GeminiProtocolException error, ReadOnlySpan<byte> frame);

    /// <summary>The connection ended (after setupComplete or not).</summary>
    void OnClosed(GeminiConnection connection, GeminiCloseInfo close);
}

/// <summary>
/// One WebSocket to Gemini Live: connect, send the setup, receive loop (text or binary frames, fragments
/// reassembled, parsed into a reused <see cref="GeminiServerMessage"/>), and a send loop that drains the session's
/// <see cref="GeminiOutboundQueue"/> once told to. Only the send loop writes after the setup, so there is one writer per
/// socket; the close handshake is sent only after the send loop has stopped.
/// </summary>
internal sealed partial class GeminiConnection : IAsyncDisposable
{
    /// <summary>Bigger server messages are a protocol error (real ones stay well below 1 MiB).</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ClientWebSocket _socket = new();
    private readonly IGeminiConnectionHandler _handler;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<GeminiCloseInfo> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _receiveStop = new();
    private readonly GeminiServerMessage _message = new();
    private readonly Lock _sendGate = new();
    private CancellationTokenSource? _sendStop;
    private Task _sendLoop = Task.CompletedTask;
    private readonly Lock _readyGate = new();
    private Task _receiveLoop = Task.CompletedTask;
    private volatile bool _closing;
    private bool _readySeen;
    private bool _abandoned;
    private int _disposed;

    public GeminiConnection(int number, GeminiConnectTarget target, IGeminiConnectionHandler handler, TimeProvider timeProvider, ILogger logger)
    {
        Number = number;
        Target = target;
        _handler = handler;
        _timeProvider = timeProvider;
        _logger = logger;
        foreach (var (name, value) in target.Headers)
        {
            _socket.Options.SetRequestHeader(name, value);
        }

        _socket.Options.CollectHttpResponseDetails = true;
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
    }

    /// <summary>1, 2, 3… within the session (for logs).</summary>
    public int Number { get; }

    public GeminiConnectTarget Target { get; }

    /// <summary>Provider session id from setupComplete (Vertex).</summary>
    public string? ProviderSessionId { get; private set; }

    /// <summary>The server's call ids on this connection, mapped to the ids the consumer sees.</summary>
    public Dictionary<string, string?> OpenCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes when the receive loop has ended.</summary>
    public Task<GeminiCloseInfo> Closed => _closed.Task;

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>
    /// Connects, sends <paramref name="setup"/> and returns once setupComplete has arrived (the receive loop keeps
    /// running). Failures come back as <see cref="GeminiConnectException"/> classified for <paramref name="phase"/>.
    /// </summary>
    public async Task ConnectAsync(ReadOnlyMemory<byte> setup, GeminiConnectionPhase phase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            await _socket.ConnectAsync(Target.Uri, linked.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
        {
            _closed.TrySetResult(new GeminiCloseInfo(null, null, ex, ClosedByUs: false));
            cancellationToken.ThrowIfCancellationRequested();
            var status = (int)_socket.HttpStatusCode;
            var rejected = status is >= 400 and < 500 and not 408 and not 429;
            var kind = rejected ? GeminiCloseKind.Other : GeminiCloseKind.ConnectRefused;
            var what = timeoutCts.IsCancellationRequested ? $"timed out after {timeout}" : status != 0 ? $"failed with HTTP {status}" : $"failed: {ex.Message}";
            throw new GeminiConnectException(phase, kind, rejected ? status : null, rejected ? $"HTTP {status}" : null, $"Connecting to {Target.LogUri} {what}.", ex);
        }

        try
        {
            await _socket.SendAsync(setup, WebSocketMessageType.Text, endOfMessage: true, linked.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _socket.Abort();
            _closed.TrySetResult(new GeminiCloseInfo(null, null, ex, ClosedByUs: false));
            cancellationToken.ThrowIfCancellationRequested();
            throw new GeminiConnectException(phase, GeminiCloseKind.TransportLost, null, null, $"Sending the setup to {Target.LogUri} failed: {ex.Message}", ex);
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);

        // :: Wait for setupComplete, a close, or the timeout, whichever comes first.
        var closedOrReady = await Task.WhenAny(_ready.Task, _closed.Task, Task.Delay(Timeout.InfiniteTimeSpan, linked.Token));
        if (_ready.Task.IsCompletedSuccessfully)
        {
            return;
        }

        if (closedOrReady == _closed.Task)
        {
            var close = await _closed.Task;
            var kind = close.Kind;
            throw new GeminiConnectException(phase, kind, close.CloseCode, close.CloseReason,
                close.CloseCode is { } code
                    ? $"The setup was answered with close {code} '{close.CloseReason}'."
                    : $"The connection was lost before setupComplete: {close.TransportError?.Message}", close.TransportError);
        }

        // Timed out or cancelled. A setupComplete that raced in wins (the connection is live and active already);
        // one arriving later is ignored and the connection is thrown away.
        lock (_readyGate)
        {
            _abandoned = !_readySeen;
        }

        if (!_abandoned)
        {
            await _ready.Task;
            return;
        }

        _socket.Abort();
        _receiveStop.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        throw new GeminiConnectException(phase, GeminiCloseKind.ConnectRefused, null, null, $"No setupComplete from {Target.LogUri} within {timeout}.");
    }

    /// <summary>Starts draining <paramref name="queue"/> into the socket.</summary>
    public void StartSending(GeminiOutboundQueue queue, Func<OutboundItem, GeminiConnection, Utf8JsonWriter, bool> serialize)
    {
        lock (_sendGate)
        {
            if (_sendStop is not null || _closing)
            {
                return;
            }

            _sendStop = new CancellationTokenSource();
            var stop = _sendStop.Token;
            _sendLoop = Task.Run(() => SendLoopAsync(queue, serialize, stop), CancellationToken.None);
        }
    }

    /// <summary>Stops the send loop between two messages (never mid-frame) and waits for it.</summary>
    public async Task StopSendingAsync()
    {
        Task loop;
        lock (_sendGate)
        {
            _sendStop?.Cancel();
            loop = _sendLoop;
        }

        await loop;
    }

    /// <summary>
    /// As <see cref="StopSendingAsync()"/>, but a send stuck on a peer that stopped reading does not hold the caller
    /// longer than <paramref name="timeout"/>: the socket is aborted instead (its receive loop then reports the loss).
    /// </summary>
    public async Task StopSendingAsync(TimeSpan timeout)
    {
        try
        {
            await StopSendingAsync().WaitAsync(timeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            Log.SendStuck(_logger, Number, timeout);
            _socket.Abort();
            await StopSendingAsync();
        }
    }

    private async Task SendLoopAsync(GeminiOutboundQueue queue, Func<OutboundItem, GeminiConnection, Utf8JsonWriter, bool> serialize, CancellationToken stop)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        try
        {
            while (!stop.IsCancellationRequested && await queue.WaitAsync(stop))
            {
                while (!stop.IsCancellationRequested && queue.TryDequeue(out var item))
                {
                    buffer.ResetWrittenCount();
                    writer.Reset(buffer);
                    bool send;
                    try
                    {
                        send = serialize(item, this, writer);
                        writer.Flush();
                    }
                    finally
                    {
                        item.Release();
                    }

                    if (send)
                    {
                        // Never cancelled: cancelling a ClientWebSocket send aborts the socket.
                        await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (IsSocketFailure(ex))
        {
            // The receive loop sees the same failure and reports the close.
            Log.SendFailed(_logger, Number, ex.Message);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var count = 0;
        GeminiCloseInfo? close = null;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        close = new GeminiCloseInfo(null, null, new GeminiProtocolException($"A server message exceeds {MaxMessageBytes} bytes."), ClosedByUs: true);
                        _socket.Abort();
                        break;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), _receiveStop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    close = new GeminiCloseInfo((int?)_socket.CloseStatus, _socket.CloseStatusDescription, null, _closing);
                    break;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                // :: A whole message (text or binary frame, fragments joined): parse it, hand it over, reuse the buffer.
                HandleMessage(buffer.AsSpan(0, count));
                count = 0;
            }
        }
        catch (OperationCanceledException)
        {
            close = new GeminiCloseInfo(null, null, null, ClosedByUs: true);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            close = new GeminiCloseInfo(null, null, ex, _closing);
        }
        catch (Exception ex)
        {
            // A handler bug must not leave the session waiting forever.
            Log.ReceiveLoopFailed(_logger, Number, ex);
            _socket.Abort();
            close = new GeminiCloseInfo(null, null, ex, ClosedByUs: true);
        }
        finally
        {
            _message.Reset();
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_socket.State == WebSocketState.CloseReceived && !_closing)
        {
            // Answer the server's close so the handshake completes (fire and forget; the send loop is idle or dead).
            _ = CompleteCloseHandshakeAsync();
        }

        close ??= new GeminiCloseInfo(null, null, null, ClosedByUs: true);
        _closed.TrySetResult(close);
        _handler.OnClosed(this, close);
    }

    private void HandleMessage(ReadOnlySpan<byte> frame)
    {
        try
        {
            GeminiServerMessageParser.Parse(frame, _message);
        }
        catch (GeminiProtocolException ex)
        {
            _handler.OnBadFrame(this, ex, frame);
            return;
        }

        try
        {
            if (_message.SetupComplete && !_ready.Task.IsCompleted)
            {
                lock (_readyGate)
                {
                    if (_abandoned || _readySeen)
                    {
                        return;
                    }

                    _readySeen = true;
                }

                // The session makes this the active connection before ConnectAsync returns.
                ProviderSessionId = _message.SessionId;
                _handler.OnReady(this, _message);
                _ready.TrySetResult();
            }
            else if (_ready.Task.IsCompletedSuccessfully)
            {
                _handler.OnMessage(this, _message);
            }
            else if (!_message.IsEmpty)
            {
                // Before setupComplete nothing else is expected; keep it visible.
                Log.MessageBeforeSetupComplete(_logger, Number, string.Join(",", _message.IgnoredFields));
            }
        }
        finally
        {
            _message.Reset();
        }
    }

    private async Task CompleteCloseHandshakeAsync()
    {
        try
        {
            await StopSendingAsync();
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception ex) when (IsSocketFailure(ex))
        {
        }
    }

    /// <summary>
    /// What a send or close throws when the connection fails under it. Our own stop is caught before this; a socket
    /// aborted mid-send (by the receive loop, or a stuck-send timeout) throws OperationCanceledException though the
    /// send had no token.
    /// </summary>
    private static bool IsSocketFailure(Exception ex) =>
        ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException;

    /// <summary>Stops sending, sends a normal close, waits for the server's close up to <paramref name="timeout"/>, then aborts.</summary>
    public async Task CloseAsync(TimeSpan timeout, string? reason = null)
    {
        lock (_sendGate)
        {
            _closing = true;
        }

        await StopSendingAsync(timeout);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var cts = new CancellationTokenSource(timeout, _timeProvider);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, cts.Token);
            }

            await _closed.Task.WaitAsync(timeout, _timeProvider);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _socket.Abort();
            _receiveStop.Cancel();
        }
    }

    public void Abort()
    {
        lock (_sendGate)
        {
            _closing = true;
            _sendStop?.Cancel();
        }

        _socket.Abort();
        _receiveStop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        await _sendLoop;
        await _receiveLoop;
        _socket.Dispose();
        _receiveStop.Dispose();
        _sendStop?.Dispose();
    }

    public override string ToString() => $"connection #{Number} ({Target.LogUri})";

    private static partial class Log
    {
        [LoggerMessage(340, LogLevel.Debug, "Gemini connection #{Connection}: send failed ({Error}); the receive loop reports the close", EventName = "GeminiSendFailed")]
        public static partial void SendFailed(ILogger logger, int connection, string error);

        [LoggerMessage(341, LogLevel.Error, "Gemini connection #{Connection}: the receive loop failed", EventName = "GeminiReceiveLoopFailed")]
        public static partial void ReceiveLoopFailed(ILogger logger, int connection, Exception exception);

        [LoggerMessage(343, LogLevel.Warning, "Gemini connection #{Connection}: a send did not finish within {Timeout}; socket aborted", EventName = "GeminiSendStuck")]
        public static partial void SendStuck(ILogger logger, int connection, TimeSpan timeout);

        [LoggerMessage(342, LogLevel.Warning, "Gemini connection #{Connection}: a message arrived before setupComplete and was ignored (fields {Fields})", EventName = "GeminiMessageBeforeSetup")]
        public static partial void MessageBeforeSetupComplete(ILogger logger, int connection, string fields);
    }
}
