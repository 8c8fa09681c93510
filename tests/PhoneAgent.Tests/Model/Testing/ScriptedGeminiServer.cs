using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PhoneAgent.Tests.Model.Testing;

/// <summary>
/// A tiny WebSocket server on 127.0.0.1:0 that plays a script per connection, standing in for Gemini Live where the
/// tests need exact control of frames, timing and close codes. Every client message is kept as a JSON tree.
/// </summary>
public sealed class ScriptedGeminiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedConnection> _connections = new();
    private readonly Channel<ScriptedConnection> _accepted = Channel.CreateUnbounded<ScriptedConnection>();
    private readonly CancellationTokenSource _stopping = new();
    private int _requests;

    private ScriptedGeminiServer(WebApplication app) => _app = app;

    /// <summary>ws://127.0.0.1:port (no path: the client appends its standard path).</summary>
    public Uri Uri { get; private set; } = null!;

    public IReadOnlyCollection<ScriptedConnection> Connections => _connections;

    /// <summary>Upgrade requests seen (refused ones included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <param name="script">Runs once per accepted connection (number 1, 2, …).</param>
    /// <param name="refuse">Answers the upgrade with HTTP 503 when it returns true.</param>
    public static async Task<ScriptedGeminiServer> StartAsync(Func<ScriptedConnection, Task> script, Func<HttpContext, bool>? refuse = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedGeminiServer(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            if (refuse?.Invoke(context) == true || !context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new ScriptedConnection(server._connections.Count + 1, context.Request.Path + context.Request.QueryString, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), socket);
            server._connections.Enqueue(connection);
            server._accepted.Writer.TryWrite(connection);
            try
            {
                await script(connection);
                await connection.ClientClosed.WaitAsync(server._stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ScriptedConnectionClosedException)
            {
            }
            catch (Exception ex)
            {
                connection.ScriptError = ex;
            }
            finally
            {
                connection.Abort();
            }
        });
        await app.StartAsync();
        server.Uri = new Uri(app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal));
        return server;
    }

    /// <summary>The next accepted connection (in order).</summary>
    public async Task<ScriptedConnection> NextConnectionAsync(TimeSpan? timeout = null) =>
        await _accepted.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(5));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var connection in _connections)
        {
            connection.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _stopping.Dispose();
    }
}

/// <summary>One accepted client connection, driven by a test script.</summary>
public sealed class ScriptedConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<JsonNode> _inbound = Channel.CreateUnbounded<JsonNode>();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _clientClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<JsonNode> _received = new();

    internal ScriptedConnection(int number, string path, IReadOnlyDictionary<string, string> headers, WebSocket socket)
    {
        Number = number;
        Path = path;
        Headers = headers;
        _socket = socket;
        _ = Task.Run(ReceiveLoopAsync);
    }

    public int Number { get; }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Every client message so far, in order.</summary>
    public IReadOnlyCollection<JsonNode> Received => _received;

    /// <summary>Completes when the client closes (status and reason), or the socket dies (null status).</summary>
    public Task<(WebSocketCloseStatus? Status, string? Reason)> ClientClosed => _clientClosed.Task;

    public Exception? ScriptError { get; internal set; }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _clientClosed.TrySetResult((result.CloseStatus, result.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    break;
                }

                var node = JsonNode.Parse(buffer.AsSpan(0, count))!;
                _received.Enqueue(node);
                _inbound.Writer.TryWrite(node);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            _clientClosed.TrySetResult((null, null));
        }
        finally
        {
            _inbound.Writer.TryComplete();
        }
    }

    /// <summary>The next client message.</summary>
    /// <exception cref="ScriptedConnectionClosedException">The client closed first.</exception>
    public async Task<JsonNode> ReceiveAsync(TimeSpan? timeout = null)
    {
        try
        {
            return await _inbound.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(5));
        }
        catch (ChannelClosedException)
        {
            throw new ScriptedConnectionClosedException();
        }
    }

    /// <summary>The next client message with top-level key <paramref name="key"/>, skipping others.</summary>
    public async Task<JsonNode> ReceiveAsync(string key, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            JsonNode node;
            try
            {
                node = await _inbound.Reader.ReadAsync(cts.Token);
            }
            catch (ChannelClosedException)
            {
                throw new ScriptedConnectionClosedException();
            }

            if (node[key] is not null)
            {
                return node;
            }
        }
    }

    /// <summary>Receives the setup and answers setupComplete (Developer API shape).</summary>
    public async Task<JsonNode> AcceptSetupAsync(string? sessionId = null)
    {
        var setup = await ReceiveAsync();
        Assert.NotNull(setup["setup"]);
        await SendAsync(sessionId is null ? """{"setupComplete": {}}""" : $$$"""{"setupComplete": {"sessionId": "{{{sessionId}}}"}}""");
        return setup;
    }

    /// <summary>Sends a message; by default as a binary frame like the real service, optionally split into fragments.</summary>
    public async Task SendAsync(string json, bool binary = true, int fragmentBytes = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await SendBytesAsync(bytes, binary, fragmentBytes);
    }

    public Task SendGoldenAsync(string file, bool binary = true, int fragmentBytes = 0) => SendBytesAsync(GeminiGolden.Bytes(file), binary, fragmentBytes);

    public async Task SendBytesAsync(byte[] bytes, bool binary = true, int fragmentBytes = 0)
    {
        var type = binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        await _send.WaitAsync();
        try
        {
            if (fragmentBytes <= 0 || fragmentBytes >= bytes.Length)
            {
                await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
                return;
            }

            for (var offset = 0; offset < bytes.Length; offset += fragmentBytes)
            {
                var length = Math.Min(fragmentBytes, bytes.Length - offset);
                await _socket.SendAsync(bytes.AsMemory(offset, length), type, endOfMessage: offset + length == bytes.Length, CancellationToken.None);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Closes with a code and reason (as the service does) and waits for the client's answer briefly.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        await _send.WaitAsync();
        try
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }

        await Task.WhenAny(_clientClosed.Task, Task.Delay(TimeSpan.FromSeconds(2)));
        _socket.Abort();
    }

    /// <summary>Drops the connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    public void Dispose() => _send.Dispose();
}

public sealed class ScriptedConnectionClosedException : Exception
{
    public ScriptedConnectionClosedException()
        : base("The client closed the connection.")
    {
    }

    public ScriptedConnectionClosedException(string message)
        : base(message)
    {
    }

    public ScriptedConnectionClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
