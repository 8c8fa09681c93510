using System.Net.WebSockets;
using PhoneAgent.CallReplay;
using PhoneAgent.CallReplay.Streams;
using PhoneAgent.CallReplay.Twilio;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// A bare Twilio media stream for handshake tests (a replayed token, two instances racing for one): connects with a
/// signed upgrade, sends <c>connected</c> and then <c>start</c> when told, and reports whether the server took the
/// stream (agent audio or a mark came) or refused it (it closed).
/// </summary>
public sealed class StreamProbe : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly TwilioStreamWriter _writer = new();
    private StreamIdentity? _identity;

    private StreamProbe(ClientWebSocket socket) => _socket = socket;

    public string StreamSid { get; } = TwilioSids.NewStreamSid();

    /// <summary>Connects to <paramref name="address"/>, the upgrade signed for <paramref name="publicStreamUrl"/> (the TwiML's), and sends <c>connected</c>.</summary>
    public static async Task<StreamProbe> ConnectAsync(Uri address, string publicStreamUrl, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var signature = TwilioSignature.ComputeUpgrade(CallReplayDefaults.DevelopmentAuthToken, publicStreamUrl, UpgradeSignatureVariant.Exact);
        socket.Options.SetRequestHeader(CallReplayDefaults.SignatureHeader, signature);
        await socket.ConnectAsync(address, cancellationToken);
        var stream = new StreamProbe(socket);
        await stream.SendAsync(stream._writer.Connected(), cancellationToken);
        return stream;
    }

    /// <summary>Sends <c>start</c> for <paramref name="callSid"/> with the stream's custom parameters (its token).</summary>
    public Task StartAsync(string callSid, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken = default)
    {
        _identity = new StreamIdentity(CallReplayDefaults.DevelopmentAccountSid, callSid, StreamSid);
        return SendAsync(_writer.Start(1, _identity, parameters), cancellationToken);
    }

    /// <summary>Reads until the server sends a message (it took the stream) or closes (it refused it).</summary>
    public async Task<StreamHandshake> HandshakeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var result = await _socket.ReceiveAsync(buffer, cts.Token);
        return result.MessageType == WebSocketMessageType.Close
            ? new StreamHandshake(false, result.CloseStatus, result.CloseStatusDescription)
            : new StreamHandshake(true, null, null);
    }

    /// <summary>Ends a stream the server took, as Twilio does when the caller hangs up: <c>stop</c>, then the close.</summary>
    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (_identity is not null && _socket.State == WebSocketState.Open)
        {
            await SendAsync(_writer.Stop(2, _identity), cts.Token);
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stop", cts.Token);
        }

        // Drain what the server still sends until its close.
        var buffer = new byte[64 * 1024];
        while (_socket.State == WebSocketState.CloseSent)
        {
            if ((await _socket.ReceiveAsync(buffer, cts.Token)).MessageType == WebSocketMessageType.Close)
            {
                break;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
}

/// <summary>What the server did with a stream's <c>start</c>.</summary>
/// <param name="Accepted">It sent the stream something (the call runs).</param>
/// <param name="CloseStatus">Its close, when it refused.</param>
/// <param name="CloseDescription">The refusal (<c>token-reused</c>, …).</param>
public sealed record StreamHandshake(bool Accepted, WebSocketCloseStatus? CloseStatus, string? CloseDescription);
