using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Telephony;
using PhoneAgent.Tests.Telephony.Testing;
using Twilio.TwiML;

namespace PhoneAgent.Tests.Telephony;

/// <summary><c>POST /twilio/connect-action</c> for each <see cref="NextAction"/>, a dead stream, and a refused one.</summary>
public sealed class ConnectActionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TwiMLGoldenTests.Now);
    private readonly TwilioEdgeFactory _factory;
    private readonly HttpClient _client;

    public ConnectActionTests()
    {
        _factory = new TwilioEdgeFactory(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)));
        _client = _factory.CreateClient();
    }

    private ICallStore Calls => _factory.Get<ICallStore>();

    [Fact]
    public async Task Hangup_hangs_up_and_records_the_end()
    {
        var call = await AnsweredCallAsync(started: true);
        await Calls.TrySetNextActionAsync(call, 1, new NextAction.Hangup("caller said goodbye"), default);

        var twiml = await ConnectActionAsync(call);

        Assert.Equal(["Hangup"], Verbs(twiml));
        Assert.Equal("hangup:caller said goodbye", (await Calls.FindAsync(call, default))!.EndReason);
    }

    [Fact]
    public async Task Fallback_says_the_apology_and_queues()
    {
        var call = await AnsweredCallAsync(started: true);
        await Calls.TrySetNextActionAsync(call, 1, new NextAction.Fallback("model lost"), default);

        var twiml = await ConnectActionAsync(call);

        Assert.Equal(["Say", "Enqueue"], Verbs(twiml));
        Assert.Equal("support", twiml.Root!.Element("Enqueue")!.Value);
    }

    [Fact]
    public async Task Reconnect_opens_a_stream_with_the_next_ordinal()
    {
        var call = await AnsweredCallAsync(started: true);
        await Calls.TrySetNextActionAsync(call, 1, new NextAction.Reconnect("model goAway"), default);

        var twiml = await ConnectActionAsync(call);

        Assert.StartsWith("v1.2.", StreamToken(twiml), StringComparison.Ordinal);
        Assert.Equal(2, (await Calls.FindAsync(call, default))!.CurrentStream!.Ordinal);
    }

    [Fact]
    public async Task A_dead_stream_reconnects_within_the_limit_then_falls_back()
    {
        var call = await AnsweredCallAsync(started: true);

        // MaxReconnects defaults to 2: streams 2 and 3, then the fallback.
        for (var ordinal = 2; ordinal <= 3; ordinal++)
        {
            var twiml = await ConnectActionAsync(call);
            Assert.StartsWith($"v1.{ordinal}.", StreamToken(twiml), StringComparison.Ordinal);
            Assert.Equal(StreamClaim.Claimed, await Calls.ClaimStreamAsync(call, ordinal, "MZ" + ordinal, _time.GetUtcNow(), default));
        }

        var last = await ConnectActionAsync(call);

        Assert.Equal(["Say", "Enqueue"], Verbs(last));
        Assert.Equal(2, (await Calls.FindAsync(call, default))!.ReconnectCount);
    }

    [Fact]
    public async Task A_stream_that_never_started_falls_back_and_does_not_loop()
    {
        var call = await AnsweredCallAsync(started: false);

        var first = await ConnectActionAsync(call);
        var again = await ConnectActionAsync(call);

        Assert.Equal(["Say", "Enqueue"], Verbs(first));
        Assert.Equal(["Say", "Enqueue"], Verbs(again));
        Assert.Single((await Calls.FindAsync(call, default))!.Streams);
    }

    [Fact]
    public async Task A_transfer_dials_the_target_with_the_dial_action_and_does_not_end_the_call()
    {
        var call = await AnsweredCallAsync(started: true);
        await Calls.TrySetNextActionAsync(call, 1, new NextAction.Transfer("connect_to_human", TransferAction.Dial, "+15005550199", TimeSpan.FromSeconds(25)), default);

        var twiml = await ConnectActionAsync(call);

        Assert.Equal(["Dial"], Verbs(twiml));
        var dial = twiml.Root!.Element("Dial")!;
        Assert.Equal("+15005550199", dial.Value);
        Assert.Equal("https://agent.example.com/twilio/dial-action", (string?)dial.Attribute("action"));
        Assert.Equal("25", (string?)dial.Attribute("timeout"));
        var record = (await Calls.FindAsync(call, default))!;
        Assert.Null(record.EndReason);
        Assert.Equal("connect-action:transfer", $"{record.StatusHistory[^1].Source}:{record.StatusHistory[^1].Status}");
    }

    [Fact]
    public async Task Other_actions_go_to_the_registered_twiml_writer()
    {
        using var factory = new TwilioEdgeFactory(services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
            s.TryAddEnumerable(ServiceDescriptor.Singleton<INextActionTwiML, CustomTwiML>());
            s.Replace(ServiceDescriptor.Singleton<ICallStore, InMemoryCallStore>());
        });
        using var client = factory.CreateClient();
        var call = TwilioTestSigner.NewCallSid();
        using (var answered = await client.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(call))))
        {
            answered.EnsureSuccessStatusCode();
        }

        var calls = factory.Get<ICallStore>();
        await calls.ClaimStreamAsync(call, 1, "MZ1", _time.GetUtcNow(), default);
        await calls.TrySetNextActionAsync(call, 1, new Custom("+15005550199"), default);

        using var response = await client.SendAsync(TwilioTestSigner.SignedPost("/twilio/connect-action", new Dictionary<string, string>
        {
            ["AccountSid"] = TwilioEdgeFactory.AccountSid, ["CallSid"] = call, ["CallStatus"] = "in-progress",
        }));
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(["Play"], Verbs(twiml));
    }

    [Fact]
    public async Task An_unknown_call_gets_the_default_fallback()
    {
        var twiml = await ConnectActionAsync(TwilioTestSigner.NewCallSid());

        Assert.Equal(["Say", "Enqueue"], Verbs(twiml));
    }

    [Fact]
    public async Task Status_callbacks_are_recorded_on_the_call()
    {
        var call = await AnsweredCallAsync(started: true);

        using var stream = await _client.SendAsync(TwilioTestSigner.SignedPost("/twilio/stream-status", new Dictionary<string, string>
        {
            ["AccountSid"] = TwilioEdgeFactory.AccountSid, ["CallSid"] = call, ["StreamSid"] = "MZ1", ["StreamEvent"] = "stream-started", ["Timestamp"] = "2026-11-25T10:00:00Z",
        }));
        using var status = await _client.SendAsync(TwilioTestSigner.SignedPost("/twilio/call-status", new Dictionary<string, string>
        {
            ["AccountSid"] = TwilioEdgeFactory.AccountSid, ["CallSid"] = call, ["CallStatus"] = "completed", ["CallDuration"] = "42",
        }));

        Assert.Equal(HttpStatusCode.NoContent, stream.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        var record = (await Calls.FindAsync(call, default))!;
        Assert.Equal(["stream:stream-started", "call:completed"], record.StatusHistory.Select(e => $"{e.Source}:{e.Status}"));
        Assert.Equal("completed", record.CallStatus);
        Assert.Equal("call-status:completed", record.EndReason);
        Assert.NotNull(record.EndedAt);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private static List<string> Verbs(XDocument twiml) => [.. twiml.Root!.Elements().Select(e => e.Name.LocalName)];

    private static string StreamToken(XDocument twiml) =>
        twiml.Root!.Element("Connect")!.Element("Stream")!.Elements("Parameter").Single(p => (string?)p.Attribute("name") == "streamToken").Attribute("value")!.Value;

    private async Task<string> AnsweredCallAsync(bool started)
    {
        var callSid = TwilioTestSigner.NewCallSid();
        using var response = await _client.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(callSid)));
        response.EnsureSuccessStatusCode();
        if (started)
        {
            Assert.Equal(StreamClaim.Claimed, await Calls.ClaimStreamAsync(callSid, 1, "MZ1", _time.GetUtcNow(), default));
        }

        return callSid;
    }

    private async Task<XDocument> ConnectActionAsync(string callSid)
    {
        using var response = await _client.SendAsync(TwilioTestSigner.SignedPost("/twilio/connect-action", new Dictionary<string, string>
        {
            ["AccountSid"] = TwilioEdgeFactory.AccountSid,
            ["CallSid"] = callSid,
            ["CallStatus"] = "in-progress",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A kind of next action the edge does not know, and the writer a host adds for it (kept in memory: the database stores only the kinds <see cref="NextAction"/> declares).</summary>
    private sealed record Custom(string Number) : NextAction("custom");

    private sealed class CustomTwiML : INextActionTwiML
    {
        public ValueTask<VoiceResponse?> TryWriteAsync(NextAction action, CallRecord call, AgentProfile profile, CancellationToken cancellationToken) =>
            ValueTask.FromResult(action is Custom ? new VoiceResponse().Play(new Uri("https://example.com/custom.mp3")) : null);
    }
}
