using System.Security.Cryptography;
using System.Text;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Tests.Testing;
using PhoneAgent.CallReplay.Twilio;
using Twilio.Security;
using static PhoneAgent.CallReplay.Tests.Testing.ScriptedServer;

namespace PhoneAgent.CallReplay.Tests.Calls;

/// <summary>The TwiML around the stream, carried out as Twilio does, with every request checked by Twilio's validator.</summary>
public sealed class TwimlExecutionTests
{
    private static readonly RecordedCall Short = RecordedCall.FromMuLaw("short", Audio.Silence(200));

    /// <summary>For tests whose server ends the stream itself: long enough that the caller never hangs up first, however slow the machine.</summary>
    private static readonly RecordedCall UntilTheServerCloses = RecordedCall.FromMuLaw("until-the-server-closes", Audio.Silence(8000));
    private static readonly RequestValidator Validator = new(CallReplayDefaults.DevelopmentAuthToken);

    [Fact]
    public async Task The_voice_webhook_is_signed_and_carries_twilios_fields()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = _ => Xml("<Response><Say>Hello</Say><Pause length=\"2\"/><Hangup/></Response>");
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var voice = h.Server.Requests.First(r => r.Path == "/voice");
        Assert.Equal("POST", voice.Method);
        Assert.True(Validator.Validate(voice.Url, voice.Form.ToDictionary(), voice.Signature));
        Assert.False(new RequestValidator("wrong").Validate(voice.Url, voice.Form.ToDictionary(), voice.Signature));
        Assert.Equal(h.CallSid, voice.Form["CallSid"]);
        Assert.Equal(("AC00000000000000000000000000000000", "2010-04-01", "ringing", "inbound"), (voice.Form["AccountSid"], voice.Form["ApiVersion"], voice.Form["CallStatus"], voice.Form["Direction"]));
        Assert.Equal((CallReplayDefaults.From, CallReplayDefaults.To, CallReplayDefaults.From, CallReplayDefaults.To), (voice.Form["From"], voice.Form["To"], voice.Form["Caller"], voice.Form["Called"]));
        Assert.Contains("CallToken", voice.Form.Keys);
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
        Assert.Equal(["Say(\"Hello\")", "Pause(2s)", "Hangup"], result.Verbs);

        var status = await h.Server.WaitForRequestAsync("/call-status");
        Assert.True(Validator.Validate(status.Url, status.Form.ToDictionary(), status.Signature));
        Assert.Equal(("completed", "call-progress-events"), (status.Form["CallStatus"], status.Form["CallbackSource"]));
        Assert.Contains("CallDuration", status.Form.Keys);
    }

    [Fact]
    public async Task Running_out_of_verbs_ends_the_call()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = _ => Xml("<Response><Play>https://example.com/a.mp3</Play><Play digits=\"12\"/></Response>");
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallEndReason.EndOfTwiml, result.EndReason);
        Assert.Equal(2, result.Verbs.Count);
    }

    [Fact]
    public async Task Redirect_fetches_the_next_document_with_its_method_and_never_runs_what_follows()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path switch
        {
            "/voice" => "<Response><Redirect method=\"GET\">/next?step=2</Redirect><Say>never</Say></Response>",
            _ => "<Response><Redirect>/last</Redirect></Response>",
        } is var xml && r.Path == "/last" ? "<Response><Hangup/></Response>" : xml);
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var next = h.Server.Requests.Single(r => r.Path == "/next");
        Assert.Equal("GET", next.Method);
        Assert.Equal("2", next.Query["step"]);
        Assert.Equal(h.CallSid, next.Query["CallSid"]);
        Assert.True(Validator.Validate(next.Url, new Dictionary<string, string>(), next.Signature)); // GET: the query is in the URL
        var last = h.Server.Requests.Single(r => r.Path == "/last");
        Assert.True(Validator.Validate(last.Url, last.Form.ToDictionary(), last.Signature));
        Assert.DoesNotContain(result.Verbs, v => v.StartsWith("Say", StringComparison.Ordinal));
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
    }

    [Theory]
    [InlineData(DialOutcome.Completed, "completed")]
    [InlineData(DialOutcome.NoAnswer, "no-answer")]
    [InlineData(DialOutcome.Busy, "busy")]
    [InlineData(DialOutcome.Failed, "failed")]
    public async Task Dial_records_the_transfer_and_posts_the_outcome_to_its_action(DialOutcome outcome, string status)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice"
            ? "<Response><Say>Transferring you.</Say><Dial action=\"/dial-result\" timeout=\"20\"><Number>+15551230000</Number></Dial><Say>never</Say></Response>"
            : "<Response><Hangup/></Response>");
        var result = await h.Place(Short, o => o with { DialOutcome = outcome, DialTalkTime = TimeSpan.FromSeconds(42), TwimlTimeScale = 0 }).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var transfer = Assert.Single(result.Transfers);
        Assert.Equal(("Dial", "+15551230000", status), (transfer.Verb, transfer.Target, transfer.Outcome));
        Assert.Equal("transferred to +15551230000 (Dial: " + status + ")", transfer.ToString());
        var action = h.Server.Requests.Single(r => r.Path == "/dial-result");
        Assert.True(Validator.Validate(action.Url, action.Form.ToDictionary(), action.Signature));
        Assert.Equal(status, action.Form["DialCallStatus"]);
        Assert.StartsWith("CA", action.Form["DialCallSid"], StringComparison.Ordinal);
        Assert.Equal(outcome == DialOutcome.Completed ? "42" : null, action.Form.GetValueOrDefault("DialCallDuration"));
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
        Assert.DoesNotContain(result.Verbs, v => v == "Say(\"never\")");
    }

    [Fact]
    public async Task Dial_without_action_goes_on_to_the_next_verb()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = _ => Xml("<Response><Dial><Client>alice</Client></Dial><Say>After the dial.</Say></Response>");
        var result = await h.Place(Short, o => o with { DialOutcome = DialOutcome.NoAnswer }).Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("client:alice", Assert.Single(result.Transfers).Target);
        Assert.Equal("Say(\"After the dial.\")", result.Verbs[^1]);
        Assert.Equal(CallEndReason.EndOfTwiml, result.EndReason);
    }

    [Theory]
    [InlineData(DialOutcome.Completed, "bridged")]
    [InlineData(DialOutcome.Busy, "queue-full")]
    [InlineData(DialOutcome.Failed, "error")]
    public async Task Enqueue_records_the_transfer_and_posts_the_queue_result(DialOutcome outcome, string queueResult)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice"
            ? "<Response><Enqueue action=\"/queue-result\" waitUrl=\"/hold\">support</Enqueue></Response>"
            : "<Response><Say>Goodbye.</Say><Hangup/></Response>");
        var result = await h.Place(Short, o => o with { DialOutcome = outcome }).Call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(("Enqueue", "support", queueResult), (result.Transfers[0].Verb, result.Transfers[0].Target, result.Transfers[0].Outcome));
        var action = h.Server.Requests.Single(r => r.Path == "/queue-result");
        Assert.Equal(queueResult, action.Form["QueueResult"]);
        Assert.StartsWith("QU", action.Form["QueueSid"], StringComparison.Ordinal);
        Assert.True(Validator.Validate(action.Url, action.Form.ToDictionary(), action.Signature));
    }

    [Fact]
    public async Task An_unanswered_queue_holds_on_its_wait_url_until_leave_then_posts_leave()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path switch
        {
            "/voice" => "<Response><Enqueue action=\"/queue-result\" waitUrl=\"/hold\">support</Enqueue></Response>",
            // Like PhoneAgent's queue-wait: a message and a pause, <Leave/> once the caller has waited 45 s.
            "/hold" => int.Parse(r.Form["QueueTime"], System.Globalization.CultureInfo.InvariantCulture) >= 45
                ? "<Response><Leave/></Response>"
                : "<Response><Say>Please hold.</Say><Pause length=\"20\"/></Response>",
            _ => "<Response><Hangup/></Response>",
        });
        var result = await h.Place(Short, o => o with { DialOutcome = DialOutcome.NoAnswer, TwimlTimeScale = 0 }).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var holds = h.Server.Requests.Where(r => r.Path == "/hold").ToList();
        Assert.Equal(["0", "21", "41", "62"], holds.Select(r => r.Form["QueueTime"])); // "Please hold." takes 2 × 350 ms, then 20 s of pause
        Assert.All(holds, r => Assert.True(Validator.Validate(r.Url, r.Form.ToDictionary(), r.Signature)));
        Assert.Single(holds.Select(r => r.Form["QueueSid"]).Distinct());
        var action = h.Server.Requests.Single(r => r.Path == "/queue-result");
        Assert.Equal(("leave", "in-progress", "62"), (action.Form["QueueResult"], action.Form["CallStatus"], action.Form["QueueTime"]));
        Assert.Equal(holds[0].Form["QueueSid"], action.Form["QueueSid"]);
        Assert.Equal(("Enqueue", "leave"), (result.Transfers[0].Verb, result.Transfers[0].Outcome));
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason); // the action's TwiML ran: the caller was still there
    }

    [Theory]
    [InlineData("<Enqueue action=\"/result\">support</Enqueue>", "QueueResult", "hangup")]
    [InlineData("<Dial action=\"/result\">+15005550006</Dial>", "DialCallStatus", "canceled")]
    public async Task A_caller_who_gives_up_waiting_ends_the_call_and_the_action_is_only_told(string verb, string field, string value)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? $"<Response>{verb}</Response>" : "<Response><Say>Nobody hears this.</Say></Response>");
        var result = await h.Place(Short, o => o with { DialOutcome = DialOutcome.CallerHangsUp, TwimlTimeScale = 0 }).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var action = h.Server.Requests.Single(r => r.Path == "/result");
        Assert.Equal((value, "completed"), (action.Form[field], action.Form["CallStatus"]));
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.DoesNotContain(result.Verbs, v => v.StartsWith("Say", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reject_and_unsupported_verbs()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = _ => Xml("<Response><Gather/><Reject reason=\"busy\"/></Response>");
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallEndReason.Rejected, result.EndReason);
        Assert.Equal(12200, Assert.Single(result.Warnings).Code);
    }

    [Theory]
    [InlineData(500, "text/xml", "<Response/>", 11200)]
    [InlineData(200, "text/plain", "<Response/>", 12300)]
    [InlineData(200, "application/xml", "<Response><Say>", 12100)]
    public async Task A_webhook_twilio_cannot_use_is_an_application_error(int status, string contentType, string body, int code)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => r.Path == "/voice" ? (status, contentType, body) : Xml("<Response/>");
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallEndReason.ApplicationError, result.EndReason);
        Assert.Equal(code, Assert.Single(result.Warnings).Code);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task After_the_server_closes_the_stream_connect_action_can_start_a_new_stream_on_the_same_call()
    {
        await using var h = await CallHarness.StartServerAsync();
        var actions = 0;
        h.Server.Respond = r => Xml(r.Path switch
        {
            "/voice" => h.Server.ConnectTwiml(parameters: "<Parameter name=\"ordinal\" value=\"1\"/>"),
            "/connect-action" when Interlocked.Increment(ref actions) == 1 => h.Server.ConnectTwiml(parameters: "<Parameter name=\"ordinal\" value=\"2\"/>"),
            "/connect-action" => "<Response><Hangup/></Response>",
            _ => "<Response/>",
        });
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await Task.Delay(100);
            await s.CloseAsync();
        };
        var result = await h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(5000))).Call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, result.Streams.Count);
        Assert.NotEqual(result.Streams[0].StreamSid, result.Streams[1].StreamSid);
        Assert.Equal(["1", "2"], result.Streams.Select(s => s.CustomParameters.Single().Value));
        Assert.All(result.Streams, s => Assert.Equal(StreamEndedBy.Server, s.EndedBy));
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
        var sockets = h.Server.Requests.Where(r => r.IsWebSocket).ToList();
        Assert.Equal(2, sockets.Count);
        var actionRequests = h.Server.Requests.Where(r => r.Path == "/connect-action").ToList();
        Assert.Equal(2, actionRequests.Count);
        Assert.All(actionRequests, a => Assert.True(Validator.Validate(a.Url, a.Form.ToDictionary(), a.Signature)));
        Assert.All(actionRequests, a => Assert.Equal(h.CallSid, a.Form["CallSid"]));

        // The recording ran on across both streams: the second stream's first frame is not the recording's first.
        Assert.True(result.Streams[1].Started > result.Streams[0].Ended);

        // stream-started and stream-stopped for each stream, signed, with Twilio's fields.
        var statuses = h.Server.Requests.Where(r => r.Path == "/stream-status").ToList();
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, s => Assert.True(Validator.Validate(s.Url, s.Form.ToDictionary(), s.Signature)));
        Assert.Equal(2, statuses.Count(s => s.Form["StreamEvent"] == "stream-started"));
        Assert.Equal(2, statuses.Count(s => s.Form["StreamEvent"] == "stream-stopped"));
        Assert.All(statuses, s => Assert.Equal(s.Form["StreamSid"], s.Form["StreamName"]));
        Assert.All(statuses, s => Assert.True(DateTimeOffset.TryParse(s.Form["Timestamp"], System.Globalization.CultureInfo.InvariantCulture, out _)));
    }

    [Fact]
    public async Task A_refused_upgrade_is_a_stream_error_and_the_twiml_goes_on()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Upgrade = _ => 403;
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response><Say>Sorry.</Say><Hangup/></Response>");
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var stream = Assert.Single(result.Streams);
        Assert.Equal((StreamEndedBy.HandshakeRejected, 403), (stream.EndedBy, stream.HandshakeStatus));
        Assert.Contains(result.Warnings, w => w.Code == 31920);
        var error = await h.Server.WaitForRequestAsync("/stream-status");
        Assert.Equal(("stream-error", "Stream - WebSocket - Handshake Error"), (error.Form["StreamEvent"], error.Form["StreamError"]));
        Assert.Single(h.Server.Requests, r => r.Path == "/connect-action");
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
    }

    [Theory]
    [InlineData(UpgradeSignatureVariant.Exact, "wss://agent.example.com/media")]
    [InlineData(UpgradeSignatureVariant.TrailingSlash, "wss://agent.example.com/media/")]
    [InlineData(UpgradeSignatureVariant.DefaultPort, "wss://agent.example.com:443/media")]
    [InlineData(UpgradeSignatureVariant.None, null)]
    public async Task The_upgrade_is_signed_over_the_public_stream_url_in_the_chosen_form(UpgradeSignatureVariant variant, string? signedUrl)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice"
            ? """<Response><Connect action="/connect-action"><Stream url="wss://agent.example.com/media" statusCallback="https://agent.example.com/stream-status"/></Connect></Response>"""
            : "<Response><Hangup/></Response>");
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await s.CloseAsync();
        };
        var result = await h.Place(UntilTheServerCloses, o => o with
        {
            PublicUrl = new Uri("https://agent.example.com/voice"),
            Behavior = o.Behavior with { UpgradeSignature = variant },
        }).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var upgrade = Assert.Single(h.Server.Requests, r => r.IsWebSocket);
        Assert.Equal(signedUrl is null ? null : Hmac(signedUrl), upgrade.Signature);
        // Every webhook is signed over its public URL, as Twilio requested it.
        var voice = h.Server.Requests.First(r => r.Path == "/voice");
        Assert.True(Validator.Validate("https://agent.example.com/voice", voice.Form.ToDictionary(), voice.Signature));
        var action = h.Server.Requests.Single(r => r.Path == "/connect-action");
        Assert.True(Validator.Validate("https://agent.example.com/connect-action", action.Form.ToDictionary(), action.Signature));
        Assert.Equal("wss://agent.example.com/media", result.Streams[0].Url);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_query_on_the_stream_url_is_dropped_unless_kept(bool keep)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice"
            ? $"""<Response><Connect><Stream url="{h.Server.WsBase}/media?token=abc"/></Connect></Response>"""
            : "<Response/>");
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await s.CloseAsync();
        };
        await h.Place(UntilTheServerCloses, o => o with { Behavior = o.Behavior with { KeepStreamUrlQuery = keep } }).Call.WaitAsync(TimeSpan.FromSeconds(10));
        var upgrade = Assert.Single(h.Server.Requests, r => r.IsWebSocket);
        Assert.Equal(keep ? "abc" : null, upgrade.Query.GetValueOrDefault("token"));
        var signed = keep ? Hmac($"{h.Server.WsBase}/mediatokenabc") : Hmac($"{h.Server.WsBase}/media");
        Assert.Equal(signed, upgrade.Signature);
    }

    [Fact]
    public async Task A_non_wss_stream_url_is_refused_when_wss_is_required()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml(action: null) : "<Response/>");
        var result = await h.Place(Short, o => o with { Behavior = o.Behavior with { RequireWss = true } }).Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StreamEndedBy.ConnectFailed, Assert.Single(result.Streams).EndedBy);
        Assert.Contains(result.Warnings, w => w.Code == 31922);
        Assert.DoesNotContain(h.Server.Requests, r => r.IsWebSocket);
    }

    [Fact]
    public async Task Only_the_inbound_track_is_allowed_on_connect()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml(action: null, streamAttributes: " track=\"both_tracks\"") : "<Response/>");
        var result = await h.Place(Short).Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(result.Warnings, w => w.Code == 31941);
    }

    private static string Hmac(string data)
    {
#pragma warning disable CA5350 // Twilio's scheme
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(CallReplayDefaults.DevelopmentAuthToken), Encoding.UTF8.GetBytes(data)));
#pragma warning restore CA5350
    }
}
