using System.Net.WebSockets;
using System.Threading.Channels;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// The one writer of a connection's socket. The session loop enqueues frames, a stall, a close or an abort; this loop
/// sends them in order and records each frame when it goes out. Backpressure: the queue is unbounded, because the
/// session loop must never block on a slow reader; its size is bounded by the scenario (at most one reply is in
/// flight, a few hundred kilobytes), and a client that stops reading is the client's problem, as with the service.
/// </summary>
internal sealed class OutboundWriter(WebSocket socket, HttpContext context, SessionRecorder recorder, TimeProvider time, bool textFrames)
{
    private readonly Channel<OutboundItem> _queue = Channel.CreateUnbounded<OutboundItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public void Send(ServerFrame frame) => _queue.Writer.TryWrite(new OutboundItem(frame, null, null, false, null));

    public void Close(int code, string reason) => _queue.Writer.TryWrite(new OutboundItem(null, code, reason, false, null));

    public void Abort() => _queue.Writer.TryWrite(new OutboundItem(null, null, null, true, null));

    public void Stall(TimeSpan duration) => _queue.Writer.TryWrite(new OutboundItem(null, null, null, false, duration));

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    if (!await WriteAsync(item))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is gone; the receive loop reports it.
        }
    }

    /// <summary>Writes one item; false once the socket is closed or aborted.</summary>
    private async ValueTask<bool> WriteAsync(OutboundItem item)
    {
        if (item.Stall is { } stall)
        {
            await Task.Delay(stall, time);
            return true;
        }

        if (item.Abort)
        {
            recorder.Closed(null, null, EmulatorCloseInitiator.Transport);
            context.Abort();
            return false;
        }

        if (socket.State != WebSocketState.Open)
        {
            return false;
        }

        if (item.CloseCode is { } code)
        {
            var reason = CloseReasons.Truncate(item.CloseReason ?? "");
            recorder.Closed(code, reason, EmulatorCloseInitiator.Server);
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            return false;
        }

        var frame = item.Frame!;
        await socket.SendAsync(frame.Utf8, textFrames ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, CancellationToken.None);
        recorder.Sent(frame);
        return true;
    }

    private sealed record OutboundItem(ServerFrame? Frame, int? CloseCode, string? CloseReason, bool Abort, TimeSpan? Stall);
}
