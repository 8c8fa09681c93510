using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.Calls;
using PhoneAgent.Tests.Telephony.Testing;

namespace PhoneAgent.Tests.Telephony;

/// <summary>
/// The media WebSocket end to end on real Kestrel (127.0.0.1, port 0): signed upgrade, start handshake, the default
/// handler, and bad input; the server stays healthy throughout.
/// </summary>
public sealed class MediaSocketTests : IDisposable
{
    private const string WssUrl = "wss://agent.example.com/twilio/media";
    private readonly TwilioEdgeFactory _factory = new(
        new Dictionary<string, string?> { ["Twilio:StreamStartTimeout"] = "00:00:00.5", ["Twilio:MaxMessageBytes"] = "4096" },
        kestrel: true);

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));

    public MediaSocketTests() => _http = new HttpClient { BaseAddress = _factory.ServerAddress };

    private CancellationToken Token => _cts.Token;

    [Fact]
    public async Task A_signed_stream_with_its_token_runs_until_stop()
    {
        var call = await PlaceCallAsync();
        using var socket = await ConnectAsync(Signature(WssUrl));

        await SendAsync(socket, """{"event":"connected","protocol":"Call","version":"1.0.0"}""");
        await SendStartAsync(socket, call);
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync(socket, $$$"""{"event":"media","sequenceNumber":"{{{i + 1}}}","streamSid":"MZ1","media":{"track":"inbound","chunk":"{{{i}}}","timestamp":"{{{i * 20}}}","payload":"{{{Convert.ToBase64String(new byte[160])}}}"} }""");
        }

        await SendAsync(socket, """{"event":"stop","sequenceNumber":"7","streamSid":"MZ1","stop":{"accountSid":"AC0123456789abcdef0123456789abcdef","callSid":"x"}}""");
        var close = await ReceiveCloseAsync(socket);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        var record = await WaitForAsync(call.CallSid, r => r.CurrentStream!.EndReason is not null);
        Assert.Equal(StreamEndReason.Stopped, record.CurrentStream!.EndReason);
        Assert.Equal("MZ1", record.CurrentStream.StreamSid);
        // The bridge (Bridge/CallSession) ran the stream: its summary counts the caller's frames.
        Assert.Contains(_factory.Logs.Entries, e => e.EventId.Name == "CallSessionEnded" && e.Message.Contains("caller frames 5 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unsigned_upgrade_gets_403_before_the_socket()
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(signature: null));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        var forged = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(TwilioTestSigner.Sign(TwilioEdgeFactory.PrimaryToken, "wss://127.0.0.1/twilio/media")));
        Assert.Contains("403", forged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_that_never_comes_closes_with_1008()
    {
        using var socket = await ConnectAsync(Signature(WssUrl));
        await SendAsync(socket, """{"event":"connected","protocol":"Call","version":"1.0.0"}""");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(socket));
        Assert.Equal("start-timeout", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task A_reused_token_is_refused_while_the_first_stream_runs()
    {
        var call = await PlaceCallAsync();
        using var first = await ConnectAsync(Signature(WssUrl));
        await SendStartAsync(first, call);
        await WaitForAsync(call.CallSid, r => r.CurrentStream!.ClaimedAt is not null);

        using var replay = await ConnectAsync(Signature(WssUrl));
        await SendStartAsync(replay, call, streamSid: "MZ2");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(replay));
        Assert.Equal("token-reused", replay.CloseStatusDescription);
        Assert.Equal(WebSocketState.Open, first.State);
        Assert.Null((await FindAsync(call.CallSid))!.CurrentStream!.NextAction);
    }

    [Theory]
    [InlineData("token", "token-invalid")]
    [InlineData("account", "account-mismatch")]
    [InlineData("call", "unknown-call")]
    public async Task A_start_that_does_not_match_its_call_closes_with_1008(string broken, string refusal)
    {
        var call = await PlaceCallAsync();
        var forged = broken switch
        {
            "token" => call with { Token = call.Token[..^4] + "AAAA" },
            "account" => call with { AccountSid = "AC99999999999999999999999999999999" },
            _ => call with { CallSid = TwilioTestSigner.NewCallSid() },
        };
        using var socket = await ConnectAsync(Signature(WssUrl));

        await SendStartAsync(socket, forged);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(socket));
        Assert.Equal(refusal, socket.CloseStatusDescription);
        if (broken == "account")
        {
            // Our own token, wrong account: the stream is marked refused, so connect-action falls back instead of looping.
            var record = await WaitForAsync(call.CallSid, r => r.CurrentStream!.NextAction is not null);
            Assert.IsType<NextAction.Fallback>(record.CurrentStream!.NextAction);
        }
    }

    [Fact]
    public async Task Bad_input_never_takes_the_server_down()
    {
        var call = await PlaceCallAsync();
        using (var socket = await ConnectAsync(Signature(WssUrl)))
        {
            await SendStartAsync(socket, call);
            var random = new byte[512];
            new Random(7).NextBytes(random);
            await socket.SendAsync(random, WebSocketMessageType.Binary, true, Token);
            await SendAsync(socket, "{\"event\":\"media\",\"media\":{\"payl");
            await SendAsync(socket, "{\"event\":\"media\",\"media\":{\"payload\":\"" + new string('A', 8000) + "\"}}");
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, await ReceiveCloseAsync(socket));
        }

        using var health = await _http.GetAsync(new Uri("/healthz", UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var next = await PlaceCallAsync();
        using var again = await ConnectAsync(Signature(WssUrl));
        await SendStartAsync(again, next);
        await WaitForAsync(next.CallSid, r => r.CurrentStream!.ClaimedAt is not null);
        await again.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Token);
        var ended = await WaitForAsync(next.CallSid, r => r.CurrentStream!.EndReason is not null);
        Assert.Equal(StreamEndReason.ClosedByTwilio, ended.CurrentStream!.EndReason);
    }

    [Fact]
    public async Task Report_only_mode_accepts_an_unsigned_upgrade_and_the_token_still_gates_the_call()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Twilio:StreamSignature"] = "ReportOnly" }, kestrel: true);
        using var http = new HttpClient { BaseAddress = factory.ServerAddress };
        var call = await PlaceCallAsync(http);
        using var good = await ConnectAsync(signature: null, factory.ServerAddress);
        await SendStartAsync(good, call);
        using var bad = await ConnectAsync(signature: null, factory.ServerAddress);
        await SendStartAsync(bad, call with { Token = "v1.1.1.forged" }, streamSid: "MZ2");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(bad));
        Assert.Equal(WebSocketState.Open, good.State);
    }

    public void Dispose()
    {
        _http.Dispose();
        _factory.Dispose();
        _cts.Dispose();
    }

    private static string Signature(string url) => TwilioTestSigner.Sign(TwilioEdgeFactory.PrimaryToken, url);

    private Task<PlacedCall> PlaceCallAsync() => PlaceCallAsync(_http);

    private async Task<PlacedCall> PlaceCallAsync(HttpClient http)
    {
        var callSid = TwilioTestSigner.NewCallSid();
        using var response = await http.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(callSid)), Token);
        response.EnsureSuccessStatusCode();
        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync(Token)).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal(WssUrl, (string?)stream.Attribute("url"));
        string Parameter(string name) => stream.Elements("Parameter").Single(p => (string?)p.Attribute("name") == name).Attribute("value")!.Value;
        return new PlacedCall(callSid, TwilioEdgeFactory.AccountSid, Parameter("streamToken"), Parameter("profile"));
    }

    private Task<ClientWebSocket> ConnectAsync(string? signature) => ConnectAsync(signature, _factory.ServerAddress);

    private async Task<ClientWebSocket> ConnectAsync(string? signature, Uri server)
    {
        var socket = new ClientWebSocket();
        if (signature is not null)
        {
            socket.Options.SetRequestHeader("X-Twilio-Signature", signature);
        }

        try
        {
            await socket.ConnectAsync(new Uri($"ws://{server.Authority}/twilio/media"), Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private Task SendAsync(WebSocket socket, string json) => socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, Token);

    private Task SendStartAsync(WebSocket socket, PlacedCall call, string streamSid = "MZ1") => SendAsync(socket, $$$"""
        {"event":"start","sequenceNumber":"1","streamSid":"{{{streamSid}}}","start":{"streamSid":"{{{streamSid}}}","accountSid":"{{{call.AccountSid}}}","callSid":"{{{call.CallSid}}}","tracks":["inbound"],
         "customParameters":{"streamToken":"{{{call.Token}}}","profile":"{{{call.Profile}}}"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1} } }
        """);

    private async Task<WebSocketCloseStatus?> ReceiveCloseAsync(WebSocket socket)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    private ValueTask<CallRecord?> FindAsync(string callSid) => _factory.Services.GetRequiredService<ICallStore>().FindAsync(callSid, Token);

    private async Task<CallRecord> WaitForAsync(string callSid, Func<CallRecord, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await FindAsync(callSid) is { } record && condition(record))
            {
                return record;
            }

            await Task.Delay(10, Token);
        }

        throw new TimeoutException("the call record never got there");
    }

    private sealed record PlacedCall(string CallSid, string AccountSid, string Token, string Profile);
}
