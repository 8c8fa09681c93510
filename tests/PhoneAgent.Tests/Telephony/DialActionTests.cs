using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Bridge;
using PhoneAgent.Calls;
using PhoneAgent.Support;
using PhoneAgent.Telephony;
using PhoneAgent.Tests.Telephony.Testing;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Telephony;

/// <summary>
/// A transfer through Twilio and back: <c>/twilio/connect-action</c> writes the <c>&lt;Dial&gt;</c>/<c>&lt;Enqueue&gt;</c>,
/// <c>/twilio/queue-wait</c> holds and leaves, <c>/twilio/dial-action</c> hangs up after a human took the call or gives
/// the caller back to the agent. Each Twilio value is checked for the TwiML, the call record and the audit log.
/// </summary>
public sealed class DialActionTests : IDisposable
{
    private const string QueueNumber = "+15005550006"; // what TwilioTestSigner.VoiceForm calls by default
    private const string DeskNumber = "+15005550007";
    private const string SipNumber = "+15005550008";

    private readonly FakeTimeProvider _time = new(TwiMLGoldenTests.Now);
    private readonly TempProfilesFolder _profiles = new();
    private readonly ListAuditLog _audit = new();
    private readonly TwilioEdgeFactory _factory;
    private readonly HttpClient _client;

    public DialActionTests()
    {
        _profiles
            .Write("queue-line.json", ProfileJson.Valid("queue-line", QueueNumber)
                .With("transfer", new JsonObject { ["action"] = "enqueue", ["target"] = "support", ["timeout"] = "00:00:40", ["whenUnanswered"] = "agent" }))
            .Write("desk-line.json", ProfileJson.Valid("desk-line", DeskNumber)
                .With("transfer", new JsonObject { ["action"] = "dial", ["target"] = "+15005550199", ["timeout"] = "00:00:25", ["whenUnanswered"] = "callback" }))
            .Write("sip-line.json", ProfileJson.Valid("sip-line", SipNumber)
                .With("transfer", new JsonObject { ["action"] = "dial", ["target"] = "sip:desk@example.sip.twilio.com", ["timeout"] = "00:00:20" }));
        _factory = new TwilioEdgeFactory(
            new Dictionary<string, string?> { ["PhoneAgent:ProfilesPath"] = _profiles.FullPath, ["PhoneAgent:DefaultProfile"] = "queue-line" },
            services: s =>
            {
                s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
                s.AddSingleton<IToolAuditLog>(_audit);
            });
        _client = _factory.CreateClient();
    }

    private ICallStore Calls => _factory.Get<ICallStore>();

    [Fact]
    public async Task Connect_action_writes_the_transfer_twiml_of_each_kind()
    {
        var queued = await TransferredCallAsync(QueueNumber);
        var dialled = await TransferredCallAsync(DeskNumber);
        var sip = await TransferredCallAsync(SipNumber);

        TwiMLGoldenTests.AssertGolden("transfer-enqueue.xml", (await PostAsync(TwilioPaths.ConnectAction, Form(queued))).Text);
        TwiMLGoldenTests.AssertGolden("transfer-dial.xml", (await PostAsync(TwilioPaths.ConnectAction, Form(dialled))).Text);
        TwiMLGoldenTests.AssertGolden("transfer-dial-sip.xml", (await PostAsync(TwilioPaths.ConnectAction, Form(sip))).Text);
        Assert.All([queued, dialled, sip], c => Assert.Null(Record(c).EndReason));
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("answered")]
    public async Task Dial_answered_by_a_human_hangs_up_when_it_returns(string status)
    {
        var call = await DialledAsync(DeskNumber);

        var twiml = await DialActionAsync(call, ("DialCallStatus", status), ("DialCallDuration", "95"));

        Assert.Equal(["Hangup"], Verbs(twiml));
        var record = Record(call);
        Assert.Equal("transfer:answered", record.EndReason);
        Assert.Single(record.Streams);
        AssertOutcome(record, "answered", $"DialCallStatus={status}");
        AssertAudited(call, "transfer-answered", status, "next: hangup");
    }

    [Theory]
    [InlineData("busy")]
    [InlineData("no-answer")]
    [InlineData("failed")]
    [InlineData("canceled")]
    public async Task Dial_not_reached_gives_the_caller_back_to_the_agent(string status)
    {
        var call = await DialledAsync(DeskNumber);

        var twiml = await DialActionAsync(call, ("DialCallStatus", status));

        Assert.StartsWith("v1.2.", StreamToken(twiml), StringComparison.Ordinal);
        var record = Record(call);
        Assert.Null(record.EndReason);
        Assert.Equal([1, 2], record.Streams.Select(s => s.Ordinal));
        AssertOutcome(record, "not-reached", $"DialCallStatus={status}");
        AssertAudited(call, "transfer-not-reached", status, "next: back-to-agent-for-callback");

        // What the bridge reads from this record when stream 2 starts.
        Assert.NotNull(TransferReturnNote.TransferBefore(record, 2));
        var note = TransferReturnNote.Build(TransferFallback.Callback, TransferOutcome.Latest(record), handoff: null);
        Assert.Contains(TransferOutcome.FromStatusEvent(record.StatusHistory[^1])!.Describe(), note, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody could take the call.", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bridged")]
    [InlineData("bridging-in-process")]
    [InlineData("redirected-from-bridged")]
    public async Task Queue_taken_by_a_human_hangs_up_when_it_returns(string result)
    {
        var call = await DialledAsync(QueueNumber);

        var twiml = await DialActionAsync(call, ("QueueResult", result), ("QueueTime", "12"));

        Assert.Equal(["Hangup"], Verbs(twiml));
        Assert.Equal("transfer:answered", Record(call).EndReason);
        AssertOutcome(Record(call), "answered", $"QueueResult={result}");
        AssertAudited(call, "transfer-answered", result, "next: hangup");
    }

    [Theory]
    [InlineData("queue-full")]
    [InlineData("leave")]
    [InlineData("error")]
    [InlineData("system-error")]
    [InlineData("redirected")]
    [InlineData("something-new")]
    public async Task Queue_not_reached_gives_the_caller_back_to_the_agent(string result)
    {
        var call = await DialledAsync(QueueNumber);

        var twiml = await DialActionAsync(call, ("QueueResult", result), ("QueueTime", "40"));

        Assert.StartsWith("v1.2.", StreamToken(twiml), StringComparison.Ordinal);
        Assert.Null(Record(call).EndReason);
        AssertOutcome(Record(call), "not-reached", $"QueueResult={result}");
        AssertAudited(call, "transfer-not-reached", result, "next: back-to-agent");
    }

    [Fact]
    public async Task A_caller_who_hung_up_in_the_queue_is_recorded_and_gets_no_stream()
    {
        var call = await DialledAsync(QueueNumber);

        var twiml = await DialActionAsync(call, ("QueueResult", "hangup"), ("QueueTime", "7"));

        Assert.Equal(["Hangup"], Verbs(twiml));
        Assert.Equal("transfer:caller-left", Record(call).EndReason);
        Assert.Single(Record(call).Streams);
        AssertAudited(call, "transfer-caller-left", "hangup", "next: hangup");
    }

    [Fact]
    public async Task A_caller_who_hung_up_while_it_rang_gets_no_stream()
    {
        var call = await DialledAsync(DeskNumber);

        var twiml = await DialActionAsync(call, ("DialCallStatus", "no-answer"), ("CallStatus", "completed"));

        Assert.Equal(["Hangup"], Verbs(twiml));
        Assert.Equal("transfer:caller-left", Record(call).EndReason);
        Assert.Single(Record(call).Streams);
    }

    [Fact]
    public async Task A_retried_dial_action_refreshes_the_same_stream()
    {
        var call = await DialledAsync(DeskNumber);

        var first = await DialActionAsync(call, ("DialCallStatus", "busy"));
        var again = await DialActionAsync(call, ("DialCallStatus", "busy"));

        Assert.StartsWith("v1.2.", StreamToken(first), StringComparison.Ordinal);
        Assert.StartsWith("v1.2.", StreamToken(again), StringComparison.Ordinal);
        Assert.Equal(2, Record(call).Streams.Count);
    }

    [Fact]
    public async Task A_stream_back_from_a_transfer_is_not_a_reconnect()
    {
        var call = await DialledAsync(DeskNumber);
        await DialActionAsync(call, ("DialCallStatus", "no-answer"));
        Assert.Equal(StreamClaim.Claimed, await Calls.ClaimStreamAsync(call, 2, "MZ2", _time.GetUtcNow(), default));

        // Stream 2 dies: Twilio:MaxReconnects (2) still allows streams 3 and 4, then the fallback.
        for (var ordinal = 3; ordinal <= 4; ordinal++)
        {
            var twiml = await PostAsync(TwilioPaths.ConnectAction, Form(call));
            Assert.StartsWith($"v1.{ordinal}.", StreamToken(twiml.Document), StringComparison.Ordinal);
            Assert.Equal(StreamClaim.Claimed, await Calls.ClaimStreamAsync(call, ordinal, "MZ" + ordinal, _time.GetUtcNow(), default));
        }

        var last = await PostAsync(TwilioPaths.ConnectAction, Form(call));
        Assert.Equal(["Say", "Hangup"], Verbs(last.Document));
    }

    [Fact]
    public async Task Dial_action_of_an_unknown_call_never_opens_a_stream()
    {
        var unknown = TwilioTestSigner.NewCallSid();

        Assert.Equal(["Say", "Hangup"], Verbs(await DialActionAsync(unknown, ("DialCallStatus", "busy"))));
        Assert.Equal(["Hangup"], Verbs(await DialActionAsync(unknown, ("DialCallStatus", "completed"))));
        Assert.Empty(_audit.Entries);
    }

    [Fact]
    public async Task Dial_action_without_an_outcome_is_refused_and_an_unsigned_one_forbidden()
    {
        var call = await DialledAsync(DeskNumber);

        using var missing = await _client.SendAsync(TwilioTestSigner.SignedPost(TwilioPaths.DialAction, Form(call)));
        var unsigned = new HttpRequestMessage(HttpMethod.Post, new Uri(TwilioPaths.DialAction, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(Form(call)) { ["DialCallStatus"] = "busy" }),
        };
        using var forbidden = await _client.SendAsync(unsigned);
        using var unsignedWait = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(TwilioPaths.QueueWait, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(Form(call)),
        });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unsignedWait.StatusCode);
        Assert.Single(Record(call).Streams);
    }

    [Fact]
    public async Task Queue_wait_holds_until_the_transfer_timeout_then_leaves()
    {
        var call = await DialledAsync(QueueNumber); // timeout 40 s

        var first = await QueueWaitAsync(call, 0);
        var later = await QueueWaitAsync(call, 25);
        var done = await QueueWaitAsync(call, 40);

        TwiMLGoldenTests.AssertGolden("queue-wait-first.xml", first.Text);
        TwiMLGoldenTests.AssertGolden("queue-wait-leave.xml", done.Text);
        Assert.Equal(["Say", "Pause"], Verbs(later.Document));
        Assert.Equal(TransferTwiML.StillHoldingMessage, later.Document.Root!.Element("Say")!.Value);
        Assert.Equal("15", (string?)later.Document.Root!.Element("Pause")!.Attribute("length"));
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _profiles.Dispose();
    }

    private static List<string> Verbs(XDocument twiml) => [.. twiml.Root!.Elements().Select(e => e.Name.LocalName)];

    private static string StreamToken(XDocument twiml) =>
        twiml.Root!.Element("Connect")!.Element("Stream")!.Elements("Parameter").Single(p => (string?)p.Attribute("name") == "streamToken").Attribute("value")!.Value;

    private static Dictionary<string, string> Form(string callSid) => new()
    {
        ["AccountSid"] = TwilioEdgeFactory.AccountSid,
        ["CallSid"] = callSid,
        ["CallStatus"] = "in-progress",
    };

    private static void AssertOutcome(CallRecord record, string tag, string detail)
    {
        var outcome = Assert.Single(record.StatusHistory, e => e.Source == "dial-action");
        Assert.Equal(tag, outcome.Status);
        Assert.Equal(detail, outcome.Detail);
    }

    private void AssertAudited(string call, string outcome, string reason, string detailEnd)
    {
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal(call, entry.CallSid);
        Assert.Equal("connect_to_human", entry.Tool);
        Assert.Equal(outcome, entry.Outcome);
        Assert.Equal(reason, entry.Reason);
        Assert.EndsWith(detailEnd, entry.Detail, StringComparison.Ordinal);
        Assert.Equal(TwiMLGoldenTests.Now, entry.At);
    }

    private CallRecord Record(string callSid) => Calls.FindAsync(callSid, default).AsTask().GetAwaiter().GetResult()!;

    /// <summary>A call answered on <paramref name="number"/> whose first stream ended with the profile's transfer.</summary>
    private async Task<string> TransferredCallAsync(string number)
    {
        var callSid = TwilioTestSigner.NewCallSid();
        using var response = await _client.SendAsync(TwilioTestSigner.SignedPost(TwilioPaths.Voice, TwilioTestSigner.VoiceForm(callSid, to: number)));
        response.EnsureSuccessStatusCode();
        Assert.Equal(StreamClaim.Claimed, await Calls.ClaimStreamAsync(callSid, 1, "MZ1", _time.GetUtcNow(), default));
        var transfer = _factory.Get<IAgentProfileCatalog>().Resolve(number).Transfer;
        Assert.True(await Calls.TrySetNextActionAsync(callSid, 1, new NextAction.Transfer("connect_to_human", transfer.Action, transfer.Target!, transfer.Timeout), default));
        return callSid;
    }

    /// <summary>A transferred call after connect-action answered with the transfer TwiML.</summary>
    private async Task<string> DialledAsync(string number)
    {
        var callSid = await TransferredCallAsync(number);
        var twiml = await PostAsync(TwilioPaths.ConnectAction, Form(callSid));
        Assert.Contains(Verbs(twiml.Document), v => v is "Dial" or "Enqueue");
        return callSid;
    }

    private async Task<XDocument> DialActionAsync(string callSid, params (string Name, string Value)[] fields)
    {
        var form = Form(callSid);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return (await PostAsync(TwilioPaths.DialAction, form)).Document;
    }

    private Task<(string Text, XDocument Document)> QueueWaitAsync(string callSid, int queueSeconds)
    {
        var form = Form(callSid);
        form["QueueSid"] = "QU0123456789abcdef0123456789abcdef";
        form["QueueTime"] = queueSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        form["QueuePosition"] = "1";
        return PostAsync(TwilioPaths.QueueWait, form);
    }

    private async Task<(string Text, XDocument Document)> PostAsync(string path, Dictionary<string, string> form)
    {
        using var response = await _client.SendAsync(TwilioTestSigner.SignedPost(path, form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return (text, XDocument.Parse(text));
    }
}
