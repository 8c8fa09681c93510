using System.Net.WebSockets;

namespace PhoneAgent.CallReplay.Tests.Testing;

/// <summary>
/// A client socket that aborts itself during its <c>abortOnSend</c>-th send and throws what .NET's own socket
/// throws then: an <see cref="OperationCanceledException"/> around an <see cref="ObjectDisposedException"/>, though the
/// send was given no token. Makes a race that real sockets lose only now and then happen every time.
/// </summary>
internal sealed class AbortingWebSocket(ClientWebSocket inner, int abortOnSend) : WebSocket
{
    private int _sends;

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public static async Task<WebSocket> ConnectAsync(Uri url, string? signature, int abortOnSend, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (signature is not null)
        {
            socket.Options.SetRequestHeader(CallReplayDefaults.SignatureHeader, signature);
        }

        await socket.ConnectAsync(url, cancellationToken);
        return new AbortingWebSocket(socket, abortOnSend);
    }

    public override void Abort() => inner.Abort();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Dispose() => inner.Dispose();

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _sends) == abortOnSend)
        {
            inner.Abort();
            throw new OperationCanceledException("The operation was canceled.", new ObjectDisposedException(typeof(System.Net.Sockets.NetworkStream).FullName));
        }

        return inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
    }
}
