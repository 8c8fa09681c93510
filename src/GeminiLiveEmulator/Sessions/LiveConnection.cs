using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// One accepted WebSocket: a receive loop feeding the session, the session loop, and the one writer. When the session
/// ends the writer drains, then the close handshake finishes (the client's close is echoed; after the server's close
/// the client gets <see cref="CloseHandshakeTimeout"/> to answer) and the socket is released.
/// </summary>
internal static class LiveConnection
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(1);
    private static readonly Func<ILogger, string, IDisposable?> ConnectionScope = LoggerMessage.DefineScope<string>("GeminiEmulator {ConnectionId}");

    public static async Task HandleAsync(HttpContext context, LiveEndpoint endpoint)
    {
        var runtime = context.RequestServices.GetRequiredService<EmulatorRuntime>();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("BidiGenerateContent is a WebSocket endpoint: send an upgrade request.");
            return;
        }

        var credentials = ClientCredentials.From(context.Request, endpoint);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var log = runtime.Sessions.Open(endpoint, context.Request.Path.Value ?? "");
        var logger = runtime.LoggerFactory.CreateLogger("PhoneAgent.GeminiLiveEmulator.Session");
        using var scope = ConnectionScope(logger, log.ConnectionId);
        var recorder = new SessionRecorder(log, logger, runtime.Time);
        recorder.Opened(credentials.Describe());
        var writer = new OutboundWriter(socket, context, recorder, runtime.Time, runtime.Options.TextFrames);
        var session = new LiveSession(runtime, endpoint, credentials, recorder, writer);
        var writing = writer.RunAsync();
        var receiving = ReceiveAsync(socket, session, runtime.Options.MaxMessageBytes);
        try
        {
            await session.RunAsync(runtime.Stopping);
        }
        finally
        {
            runtime.Sessions.MarkEnded(log.ConnectionId);
            writer.Complete();
            await writing;
            await FinishCloseAsync(socket, receiving, recorder);
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, LiveSession session, int maxBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var message = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await session.PostAsync(new ClientClosed((int?)socket.CloseStatus, socket.CloseStatusDescription));
                    return;
                }

                if (message.WrittenCount + result.Count > maxBytes)
                {
                    await session.PostAsync(new ClientMessageTooBig(message.WrittenCount + result.Count));
                    return;
                }

                message.Write(buffer.AsSpan(0, result.Count));
                if (result.EndOfMessage)
                {
                    // Pooled: caller audio arrives 50 times a second per call.
                    var payload = ArrayPool<byte>.Shared.Rent(Math.Max(1, message.WrittenCount));
                    message.WrittenSpan.CopyTo(payload);
                    await session.PostAsync(new ClientFrameReceived(payload, message.WrittenCount, result.MessageType == WebSocketMessageType.Binary));
                    message.ResetWrittenCount();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ConnectionAbortedException or ObjectDisposedException)
        {
            await session.PostAsync(new TransportLost(e.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task FinishCloseAsync(WebSocket socket, Task receiving, SessionRecorder recorder)
    {
        try
        {
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, CancellationToken.None);
            }
            else if (socket.State == WebSocketState.Open)
            {
                recorder.Closed(1011, "The service is currently unavailable.", EmulatorCloseInitiator.Server);
                await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "The service is currently unavailable.", CancellationToken.None);
            }

            // Socket teardown runs on real time even under a test clock: a fake clock that never advances must not hang it.
            await receiving.WaitAsync(CloseHandshakeTimeout, TimeProvider.System);
        }
        catch (Exception e) when (e is WebSocketException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // The client did not finish the handshake in time, or the connection is already gone.
        }
        finally
        {
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }

            await receiving.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }
}
