using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Tests.Testing;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Rest.Api.V2010.Account.Call;
using static PhoneAgent.CallReplay.Tests.Testing.ScriptedServer;

namespace PhoneAgent.CallReplay.Tests.FakeApi;

/// <summary>The fake REST API driven by Twilio's own C# client, acting on live simulated calls.</summary>
public sealed class FakeTwilioApiTests
{
    private static readonly RecordedCall Long = RecordedCall.FromMuLaw("long", Audio.Silence(20_000));

    [Fact]
    public async Task Status_completed_hangs_up_the_call_and_the_stream_gets_stop()
    {
        await using var api = await FakeTwilioApi.StartAsync();
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response><Say>never</Say></Response>");
        h.Place(Long, o => o with { HangupAfter = null }, api: api);
        var socket = await h.Server.NextSocketAsync();
        await socket.StartAsync();

        var call = await CallResource.UpdateAsync(new UpdateCallOptions(h.CallSid) { Status = CallResource.UpdateStatusEnum.Completed }, Client(api));

        Assert.Equal(CallResource.StatusEnum.Completed, call.Status);
        var result = await h.Call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallEndReason.RestHangup, result.EndReason);
        var stream = Assert.Single(result.Streams);
        Assert.Equal((StreamEndedBy.RestHangup, true), (stream.EndedBy, stream.StopSent));
        await socket.Completion;
        Assert.Equal("stop", socket.All[^1].GetProperty("event").GetString());
        Assert.True(socket.ClosedByCaller);
        Assert.DoesNotContain(h.Server.Requests, r => r.Path == "/connect-action"); // a hung-up call runs no more TwiML
        Assert.Equal("completed", (await h.Server.WaitForRequestAsync("/call-status")).Form["CallStatus"]);

        // Hanging up a call that is over is harmless; fetching it shows it completed.
        var again = await CallResource.UpdateAsync(new UpdateCallOptions(h.CallSid) { Status = CallResource.UpdateStatusEnum.Completed }, Client(api));
        Assert.Equal(CallResource.StatusEnum.Completed, again.Status);
        var fetched = await CallResource.FetchAsync(new FetchCallOptions(h.CallSid), Client(api));
        Assert.Equal((h.CallSid, "inbound"), (fetched.Sid, fetched.Direction));
    }

    [Fact]
    public async Task A_twiml_update_ends_the_stream_with_stop_and_runs_the_new_twiml()
    {
        await using var api = await FakeTwilioApi.StartAsync();
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response><Hangup/></Response>");
        h.Place(Long, o => o with { HangupAfter = null }, api: api);
        var socket = await h.Server.NextSocketAsync();
        await socket.StartAsync();

        var twiml = "<Response><Say>Connecting you to a colleague.</Say><Dial action=\"" + h.Server.BaseUrl + "dial-result\"><Number>+15551112222</Number></Dial></Response>";
        var call = await CallResource.UpdateAsync(new UpdateCallOptions(h.CallSid) { Twiml = new global::Twilio.Types.Twiml(twiml) }, Client(api));

        Assert.Equal(CallResource.StatusEnum.InProgress, call.Status);
        var result = await h.Call.WaitAsync(TimeSpan.FromSeconds(10));
        var stream = Assert.Single(result.Streams);
        Assert.Equal((StreamEndedBy.RestUpdate, true), (stream.EndedBy, stream.StopSent));
        Assert.Equal("stop", socket.All[^1].GetProperty("event").GetString());
        Assert.DoesNotContain(h.Server.Requests, r => r.Path == "/connect-action"); // the new TwiML replaced the document
        Assert.Equal("transferred to +15551112222 (Dial: completed)", Assert.Single(result.Transfers).ToString());
        Assert.Equal("completed", h.Server.Requests.Single(r => r.Path == "/dial-result").Form["DialCallStatus"]);
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
    }

    [Fact]
    public async Task A_url_update_fetches_the_new_twiml_from_there()
    {
        await using var api = await FakeTwilioApi.StartAsync();
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path switch
        {
            "/voice" => h.Server.ConnectTwiml(),
            "/transfer" => "<Response><Enqueue>humans</Enqueue></Response>",
            _ => "<Response><Hangup/></Response>",
        });
        h.Place(Long, o => o with { HangupAfter = null }, api: api);
        var socket = await h.Server.NextSocketAsync();
        await socket.StartAsync();

        await CallResource.UpdateAsync(new UpdateCallOptions(h.CallSid) { Url = new Uri(h.Server.BaseUrl, "transfer"), Method = global::Twilio.Http.HttpMethod.Post }, Client(api));

        var result = await h.Call.WaitAsync(TimeSpan.FromSeconds(10));
        var transfer = h.Server.Requests.Single(r => r.Path == "/transfer");
        Assert.Equal(("POST", "in-progress", h.CallSid), (transfer.Method, transfer.Form["CallStatus"], transfer.Form["CallSid"]));
        Assert.Equal(("Enqueue", "humans", "bridged"), (result.Transfers[0].Verb, result.Transfers[0].Target, result.Transfers[0].Outcome));
        Assert.Equal(CallEndReason.EndOfTwiml, result.EndReason);
    }

    [Fact]
    public async Task Unknown_calls_are_20404_and_bad_credentials_401()
    {
        await using var api = await FakeTwilioApi.StartAsync();
        var missing = await Assert.ThrowsAsync<ApiException>(() =>
            CallResource.UpdateAsync(new UpdateCallOptions("CA00000000000000000000000000000009") { Status = CallResource.UpdateStatusEnum.Completed }, Client(api)));
        Assert.Equal((20404, 404), (missing.Code, missing.Status));

        var denied = await Assert.ThrowsAsync<ApiException>(() =>
            CallResource.UpdateAsync(new UpdateCallOptions("CA00000000000000000000000000000009") { Status = CallResource.UpdateStatusEnum.Completed }, Client(api, "wrong-token")));
        Assert.Equal((20003, 401), (denied.Code, denied.Status));
        Assert.Equal([404, 401], api.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Api_keys_are_accepted_and_a_call_that_is_over_cannot_be_redirected()
    {
        await using var api = await FakeTwilioApi.StartAsync(new FakeTwilioApiOptions { ApiKeys = new Dictionary<string, string> { ["SK00000000000000000000000000000001"] = "key-secret" } });
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = _ => Xml("<Response><Hangup/></Response>");
        await h.Place(RecordedCall.FromMuLaw("x", Audio.Silence(100)), api: api).Call.WaitAsync(TimeSpan.FromSeconds(10));

        var client = new TwilioRestClient("SK00000000000000000000000000000001", "key-secret", accountSid: "AC00000000000000000000000000000000", httpClient: Http(api));
        var over = await Assert.ThrowsAsync<ApiException>(() =>
            CallResource.UpdateAsync(new UpdateCallOptions(h.CallSid) { Twiml = new global::Twilio.Types.Twiml("<Response><Say>late</Say></Response>") }, client));
        Assert.Equal((21220, 400), (over.Code, over.Status));
    }

    [Fact]
    public async Task Recordings_can_be_started_on_a_live_call()
    {
        await using var api = await FakeTwilioApi.StartAsync();
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Place(Long, o => o with { HangupAfter = null }, api: api);
        var socket = await h.Server.NextSocketAsync();
        await socket.StartAsync();

        var recording = await global::Twilio.Rest.Api.V2010.Account.Call.RecordingResource.CreateAsync(new CreateRecordingOptions(h.CallSid) { RecordingChannels = "dual" }, Client(api));
        Assert.StartsWith("RE", recording.Sid, StringComparison.Ordinal);
        Assert.Equal(h.CallSid, recording.CallSid);

        await CallResource.UpdateAsync(new UpdateCallOptions(h.CallSid) { Status = CallResource.UpdateStatusEnum.Completed }, Client(api));
        await h.Call.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static TwilioRestClient Client(FakeTwilioApi api, string? token = null) =>
        new(api.Options.AccountSid, token ?? api.Options.AuthToken, httpClient: Http(api));

    private static SystemNetHttpClient Http(FakeTwilioApi api) => new(new System.Net.Http.HttpClient(new Rewrite(api.BaseUrl)));

    /// <summary>Sends Twilio's https://api.twilio.com requests to the fake, keeping path and query.</summary>
    private sealed class Rewrite(Uri baseUrl) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(baseUrl, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
