using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace PhoneAgent.CallReplay.Tests.Testing;

/// <summary>The server's end of one media stream, for scripts: every message CallReplay sent, and helpers to answer.</summary>
public sealed class MediaSocket
{
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _all = [];
    private readonly Task _reader;

    public MediaSocket(WebSocket socket, RecordedRequest upgrade)
    {
        Socket = socket;
        Upgrade = upgrade;
        _reader = ReadAsync();
    }

    public WebSocket Socket { get; }

    public RecordedRequest Upgrade { get; }

    /// <summary>How the caller's side closed (null while open or after an abort).</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public bool ClosedByCaller { get; private set; }

    public string? StreamSid { get; private set; }

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<JsonElement> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Completes when the caller's side has closed (or the socket broke).</summary>
    public Task Completion => _reader;

    /// <summary>The next message whose event is <paramref name="eventName"/> (skipping others).</summary>
    public async Task<JsonElement> NextAsync(string eventName, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            if (message.GetProperty("event").GetString() == eventName)
            {
                return message;
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages of <paramref name="eventName"/> have been received.</summary>
    public async Task WaitForCountAsync(string eventName, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (Count(eventName) < count)
        {
            await Task.Delay(2, cts.Token);
        }
    }

    public int Count(string eventName) => All.Count(m => m.GetProperty("event").GetString() == eventName);

    public Task SendAsync(string json) => Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendMediaAsync(ReadOnlySpan<byte> muLaw) =>
        SendAsync($"{{\"event\":\"media\",\"streamSid\":\"{StreamSid}\",\"media\":{{\"payload\":\"{Convert.ToBase64String(muLaw)}\"}}}}");

    public Task SendMarkAsync(string name) => SendAsync($"{{\"event\":\"mark\",\"streamSid\":\"{StreamSid}\",\"mark\":{{\"name\":\"{name}\"}}}}");

    public Task SendClearAsync() => SendAsync($"{{\"event\":\"clear\",\"streamSid\":\"{StreamSid}\"}}");

    /// <summary>The server ends the stream (a close it starts), then waits for the caller's answer.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        await Socket.CloseOutputAsync(status, "done", CancellationToken.None);
        await _reader.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Reads until the caller closes, answering its close.</summary>
    public async Task DrainAsync()
    {
        await _reader;
    }

    public async Task<JsonElement> StartAsync()
    {
        var start = await NextAsync("start");
        StreamSid = start.GetProperty("streamSid").GetString();
        return start;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = Socket.CloseStatus;
                    ClosedByCaller = Socket.State == WebSocketState.CloseReceived;
                    if (Socket.State == WebSocketState.CloseReceived)
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
                var element = document.RootElement.Clone();
                if (StreamSid is null && element.TryGetProperty("streamSid", out var sid))
                {
                    StreamSid = sid.GetString();
                }

                lock (_all)
                {
                    _all.Add(element);
                }

                await _received.Writer.WriteAsync(element);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
