using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

/// <summary>A plain ClientWebSocket client for the emulator: sends JSON text frames, collects everything it receives.</summary>
internal sealed class LiveTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(6);

    private readonly ClientWebSocket _socket;
    private readonly Channel<ServerEvent> _events = Channel.CreateUnbounded<ServerEvent>();
    private readonly Task _receiving;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private LiveTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveAsync();
    }

    /// <summary>Every event received so far, in order (including those consumed by the Wait methods).</summary>
    private readonly List<ServerEvent> _history = [];

    /// <summary>What the server sent so far: a snapshot (the receive loop keeps appending while a test reads).</summary>
    public List<ServerEvent> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    public WebSocketState State => _socket.State;

    public static async Task<LiveTestClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new LiveTestClient(socket);
    }

    /// <summary>Connects and completes setup; returns the client after setupComplete.</summary>
    public static async Task<LiveTestClient> SetUpAsync(Uri uri, string setupJson, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = await ConnectAsync(uri, configure);
        await client.SendAsync(setupJson);
        var first = await client.NextAsync();
        Assert.True(first.Is("setupComplete"), $"expected setupComplete, got {first}");
        return client;
    }

    public async Task SendAsync(string json)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendTextAsync(string text) => SendAsync(JsonSerializer.Serialize(new { realtimeInput = new { text } }));

    /// <summary>Sends PCM16 audio in <paramref name="chunkMs"/> chunks, as fast as the socket takes them.</summary>
    public async Task SendAudioAsync(short[] samples, int sampleRate, int chunkMs = 20)
    {
        var chunk = sampleRate * chunkMs / 1000;
        for (var offset = 0; offset < samples.Length; offset += chunk)
        {
            var length = Math.Min(chunk, samples.Length - offset);
            await SendAsync(Messages.Audio(samples.AsSpan(offset, length), sampleRate));
        }
    }

    /// <summary>The next event, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<ServerEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nothing received within {(timeout ?? DefaultTimeout).TotalSeconds} s; so far: {Describe()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the connection ended; so far: {Describe()}");
        }
    }

    /// <summary>Skips events until one matches (a close that does not match fails the wait).</summary>
    public async Task<ServerEvent> WaitForAsync(Func<ServerEvent, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {what ?? "matching event"} in time; so far: {Describe()}");
            }

            ServerEvent next;
            try
            {
                next = await NextAsync(left);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no {what ?? "matching event"} in time; so far: {Describe()}");
            }

            if (match(next))
            {
                return next;
            }

            if (next.IsClose)
            {
                throw new InvalidOperationException($"closed while waiting for {what ?? "an event"}: {next}; so far: {Describe()}");
            }
        }
    }

    public Task<ServerEvent> WaitForAsync(string path, TimeSpan? timeout = null) => WaitForAsync(e => e.Is(path), timeout, path);

    /// <summary>Waits for the close (or the connection drop), skipping everything else.</summary>
    public Task<ServerEvent> WaitForCloseAsync(TimeSpan? timeout = null) => WaitForAsync(e => e.IsClose, timeout, "close");

    /// <summary>True if nothing matching arrives within <paramref name="window"/>.</summary>
    public async Task<bool> NothingAsync(Func<ServerEvent, bool> match, TimeSpan window)
    {
        try
        {
            await WaitForAsync(match, window);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went away first.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private string Describe()
    {
        lock (_history)
        {
            return string.Join(" | ", _history.TakeLast(12).Select(e => e.ToString()[..Math.Min(e.ToString().Length, 90)]));
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[256 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Publish(new ServerEvent(DateTimeOffset.UtcNow, [], WebSocketMessageType.Close, null)
                    {
                        CloseCode = (int?)result.CloseStatus,
                        CloseReason = result.CloseStatusDescription,
                    });
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var raw = message.ToArray();
                message.SetLength(0);
                JsonElement? json = null;
                try
                {
                    json = JsonDocument.Parse(raw).RootElement.Clone();
                }
                catch (JsonException)
                {
                    // Left null: a malformed frame.
                }

                Publish(new ServerEvent(DateTimeOffset.UtcNow, raw, result.MessageType, json));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (_socket.State is not WebSocketState.Closed)
            {
                Publish(new ServerEvent(DateTimeOffset.UtcNow, [], WebSocketMessageType.Close, null) { Aborted = true });
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private void Publish(ServerEvent serverEvent)
    {
        lock (_history)
        {
            _history.Add(serverEvent);
        }

        _events.Writer.TryWrite(serverEvent);
    }
}
