using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PhoneAgent.Telephony;
using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>A <see cref="TwilioMediaStream"/> over an in-memory WebSocket pair; the test plays Twilio on the client end.</summary>
internal sealed class StreamHarness : IAsyncDisposable
{
    public const string StreamSid = "MZ0123456789abcdef0123456789abcdef";
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));
    private int _sequence;

    public StreamHarness(long pauseAt = 64 * 1024, int maxMessageBytes = 64 * 1024)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        Metrics = new MetricRecorder(meters);
        var (server, client) = DuplexStream.CreatePair(pauseAt);
        Client = WebSocket.CreateFromStream(client, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        var serverSocket = WebSocket.CreateFromStream(server, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        Stream = new TwilioMediaStream(serverSocket, maxMessageBytes, new TwilioMetrics(meters), NullLogger.Instance, TimeProvider.System);
        Stream.Run(_cts.Token);
    }

    public WebSocket Client { get; }

    public TwilioMediaStream Stream { get; }

    public MetricRecorder Metrics { get; }

    public CancellationToken Token => _cts.Token;

    public Task SendTextAsync(string json) => Client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, Token);

    public async Task StartAsync()
    {
        await SendTextAsync("""{"event":"connected","protocol":"Call","version":"1.0.0"}""");
        await SendTextAsync($$"""{"event":"start","sequenceNumber":"{{++_sequence}}","streamSid":"{{StreamSid}}","start":{"streamSid":"{{StreamSid}}","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1} } }""");
        Assert.NotNull(await Stream.WaitForStartAsync(TimeSpan.FromSeconds(5), Token));
    }

    public Task SendMediaAsync(byte[] muLaw, long? sequenceNumber = null) =>
        SendTextAsync($$"""{"event":"media","sequenceNumber":"{{sequenceNumber ?? ++_sequence}}","streamSid":"{{StreamSid}}","media":{"track":"inbound","chunk":"{{_sequence}}","timestamp":"{{_sequence * 20}}","payload":"{{Convert.ToBase64String(muLaw)}}" } }""");

    public Task EchoMarkAsync(string name) =>
        SendTextAsync($$"""{"event":"mark","sequenceNumber":"{{++_sequence}}","streamSid":"{{StreamSid}}","mark":{"name":"{{name}}" } }""");

    /// <summary>Reads the next message Twilio would receive; <see langword="null"/> on close.</summary>
    public async Task<OutboundMessage?> ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await Client.ReceiveAsync(buffer.AsMemory(count), Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            count += result.Count;
        }
        while (!result.EndOfMessage);

        using var json = JsonDocument.Parse(buffer.AsMemory(0, count));
        var root = json.RootElement;
        var kind = root.GetProperty("event").GetString()!;
        Assert.Equal(StreamSid, root.GetProperty("streamSid").GetString());
        return kind switch
        {
            "media" => new OutboundMessage(kind, Convert.FromBase64String(root.GetProperty("media").GetProperty("payload").GetString()!), null),
            "mark" => new OutboundMessage(kind, null, root.GetProperty("mark").GetProperty("name").GetString()),
            _ => new OutboundMessage(kind, null, null),
        };
    }

    public async Task<List<OutboundMessage>> ReadUntilAsync(Func<OutboundMessage, bool> last)
    {
        var messages = new List<OutboundMessage>();
        while (await ReadAsync() is { } message)
        {
            messages.Add(message);
            if (last(message))
            {
                break;
            }
        }

        return messages;
    }

    public async Task<MediaStreamEvent> NextEventAsync()
    {
        while (await Stream.Events.WaitToReadAsync(Token))
        {
            if (Stream.Events.TryRead(out var item))
            {
                return item;
            }
        }

        throw new InvalidOperationException("events completed");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Abort();
        await Stream.DisposeAsync();
        Metrics.Dispose();
        await _services.DisposeAsync();
        _cts.Dispose();
    }
}

internal sealed record OutboundMessage(string Event, byte[]? Payload, string? MarkName);
