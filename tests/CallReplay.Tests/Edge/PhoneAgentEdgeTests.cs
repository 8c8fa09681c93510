using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.FakeApi;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Tests.Testing;
using PhoneAgent.CallReplay.Twilio;
using PhoneAgent.Telephony;
using Twilio.TwiML;

namespace PhoneAgent.CallReplay.Tests.Edge;

/// <summary>CallReplay against the real PhoneAgent Twilio edge: what Twilio sends is accepted, and the edge's answers run.</summary>
public sealed class PhoneAgentEdgeTests : IAsyncLifetime
{
    private static readonly RecordedCall Speech = RecordedCall.FromMuLaw("speech", Audio.Bursts(1200, 440, (200, 900)));
    private FakeTwilioApi _api = null!;

    public async System.Threading.Tasks.Task InitializeAsync() => _api = await FakeTwilioApi.StartAsync();

    public async System.Threading.Tasks.Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public void CallReplay_shares_the_edges_development_credentials_and_paths()
    {
        Assert.Equal(TwilioDefaults.DevelopmentAuthToken, CallReplayDefaults.DevelopmentAuthToken);
        Assert.Equal(TwilioDefaults.DevelopmentAccountSid, CallReplayDefaults.DevelopmentAccountSid);
        Assert.Equal(TwilioDefaults.SignatureHeader, CallReplayDefaults.SignatureHeader);
        Assert.Equal(TwilioPaths.Voice, CallReplayDefaults.VoicePath);
        Assert.Equal(TwilioPaths.CallStatus, CallReplayDefaults.CallStatusPath);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_call_is_answered_streamed_and_hung_up_by_the_caller_with_every_request_accepted()
    {
        using var host = Host();
        var result = await Caller(host).CallAsync(Speech).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        var stream = Assert.Single(result.Streams);
        Assert.Equal(StreamEndedBy.CallerHangup, stream.EndedBy);
        Assert.Equal($"ws://127.0.0.1:{host.BaseUrl.Port}{TwilioPaths.Media}", stream.Url);
        Assert.Contains(stream.CustomParameters, p => p.Key == TwilioDefaults.StreamTokenParameter && p.Value.StartsWith("v1.1.", StringComparison.Ordinal));
        Assert.Contains(stream.CustomParameters, p => p.Key == TwilioDefaults.ProfileParameter && p.Value == "customer-support");
        Assert.True(stream.MediaFramesSent > 50);
        Assert.DoesNotContain(result.Warnings, w => w.Code != 31922); // ws:// locally is the only remark
        // The edge answers 403 to a bad signature: 2xx means every callback passed its signature check.
        Assert.Equal(["stream-started", "stream-stopped", "completed"], result.Callbacks.OrderBy(c => c.At).Select(c => c.Event));
        Assert.All(result.Callbacks, c => Assert.InRange(c.StatusCode, 200, 299));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_webhook_signed_with_another_token_is_refused()
    {
        using var host = Host();
        var result = await Caller(host, o => o with { AuthToken = "not-the-token" }).CallAsync(Speech).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CallEndReason.ApplicationError, result.EndReason);
        Assert.Contains("HTTP 403", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UpgradeSignatureVariant.Exact)]
    [InlineData(UpgradeSignatureVariant.TrailingSlash)]
    [InlineData(UpgradeSignatureVariant.DefaultPort)]
    public async System.Threading.Tasks.Task Every_upgrade_signature_variant_is_accepted_behind_a_public_url(UpgradeSignatureVariant variant)
    {
        using var host = Host(("PhoneAgent:PublicBaseUrl", "https://agent.example.com"));
        var result = await Caller(host, o => o with
        {
            PublicUrl = new Uri("https://agent.example.com" + TwilioPaths.Voice),
            CallStatusUrl = new Uri("https://agent.example.com" + TwilioPaths.CallStatus),
            Behavior = o.Behavior with { UpgradeSignature = variant, RequireWss = true },
        }).CallAsync(Speech).WaitAsync(TimeSpan.FromSeconds(20));

        var stream = Assert.Single(result.Streams);
        Assert.Equal("wss://agent.example.com/twilio/media", stream.Url);
        Assert.Equal(StreamEndedBy.CallerHangup, stream.EndedBy);
        Assert.Empty(result.Warnings);
        Assert.All(result.Callbacks, c => Assert.InRange(c.StatusCode, 200, 299));
    }

    [Fact]
    public async System.Threading.Tasks.Task An_unsigned_upgrade_is_refused_and_connect_action_falls_back_without_looping()
    {
        using var host = Host();
        var result = await Caller(host, o => o with { Behavior = o.Behavior with { UpgradeSignature = UpgradeSignatureVariant.None } })
            .CallAsync(Speech).WaitAsync(TimeSpan.FromSeconds(20));

        var stream = Assert.Single(result.Streams);
        Assert.Equal((StreamEndedBy.HandshakeRejected, 403), (stream.EndedBy, stream.HandshakeStatus));
        Assert.StartsWith("Say(\"I'm sorry", result.Verbs[1], StringComparison.Ordinal); // the profile's fallback apology
        Assert.Equal("transferred to support (Enqueue: bridged)", Assert.Single(result.Transfers).ToString());
        Assert.Equal(CallEndReason.EndOfTwiml, result.EndReason);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_stream_that_dies_reconnects_with_a_new_stream_on_the_same_call()
    {
        using var host = Host();
        var result = await Caller(host, o => o with { AbortStreamAfter = TimeSpan.FromMilliseconds(300) }).CallAsync(Speech).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, result.Streams.Count);
        Assert.Equal([StreamEndedBy.SocketError, StreamEndedBy.CallerHangup], result.Streams.Select(s => s.EndedBy));
        var tokens = result.Streams.Select(s => s.CustomParameters.Single(p => p.Key == TwilioDefaults.StreamTokenParameter).Value).ToList();
        Assert.StartsWith("v1.2.", tokens[1], StringComparison.Ordinal); // stream ordinal 2
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Contains(result.Callbacks, c => c.Event == "stream-error");
    }

    [Fact]
    public async System.Threading.Tasks.Task When_reconnects_run_out_the_call_goes_to_the_fallback()
    {
        using var host = Host(("Twilio:MaxReconnects", "1"));
        var result = await Caller(host, o => o with { AbortStreamAfter = TimeSpan.FromMilliseconds(200), AbortStreamCount = 5 })
            .CallAsync(Speech).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, result.Streams.Count);
        Assert.All(result.Streams, s => Assert.Equal(StreamEndedBy.SocketError, s.EndedBy));
        Assert.Equal("transferred to support (Enqueue: bridged)", Assert.Single(result.Transfers).ToString());
    }

    [Fact]
    public async System.Threading.Tasks.Task The_edges_rest_hang_up_ends_the_call_through_the_fake_api()
    {
        using var host = Host();
        var sid = TwilioSids.NewCallSid();
        var call = await PlaceAndWaitForStreamAsync(host, sid);

        Assert.Equal("Done", await host.CallControlAsync("HangUpAsync", sid));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CallEndReason.RestHangup, result.EndReason);
        Assert.Equal((StreamEndedBy.RestHangup, true), (result.Streams[0].EndedBy, result.Streams[0].StopSent));
        Assert.Equal("AlreadyEnded", await host.CallControlAsync("HangUpAsync", "CA00000000000000000000000000000404"));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_edges_twiml_update_ends_the_stream_and_runs_the_new_twiml()
    {
        using var host = Host();
        var sid = TwilioSids.NewCallSid();
        var call = await PlaceAndWaitForStreamAsync(host, sid);

        var twiml = new VoiceResponse().Say("Connecting you to a colleague.").Dial("+15551230000");
        Assert.Equal("Done", await host.CallControlAsync("UpdateTwiMLAsync", sid, twiml));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((StreamEndedBy.RestUpdate, true), (result.Streams[0].EndedBy, result.Streams[0].StopSent));
        Assert.Equal("transferred to +15551230000 (Dial: completed)", Assert.Single(result.Transfers).ToString());
        Assert.Equal(CallEndReason.EndOfTwiml, result.EndReason);
    }

    private PhoneAgentHost Host(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Twilio:ApiBaseUrl"] = _api.BaseUrl.ToString().TrimEnd('/') };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new PhoneAgentHost(all);
    }

    private FakeTwilioCaller Caller(PhoneAgentHost host, Func<FakeTwilioCallerOptions, FakeTwilioCallerOptions>? configure = null)
    {
        var options = FakeTwilioCallerOptions.ForPhoneAgent(host.BaseUrl) with
        {
            TwimlTimeScale = 0,
            HangupAfter = TimeSpan.FromMilliseconds(200),
            MaxDuration = TimeSpan.FromSeconds(30),
        };
        return new FakeTwilioCaller(configure?.Invoke(options) ?? options, api: _api);
    }

    /// <summary>Places a call and returns once its first stream has started.</summary>
    private async System.Threading.Tasks.Task<System.Threading.Tasks.Task<CallResult>> PlaceAndWaitForStreamAsync(PhoneAgentHost host, string callSid)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = Caller(host, o => o with
        {
            CallSid = callSid,
            HangupAfter = null,
            OnEvent = e =>
            {
                if (e.Kind == TimelineKinds.StreamStarted)
                {
                    started.TrySetResult();
                }
            },
        }).CallAsync(RecordedCall.FromMuLaw("long", Audio.Silence(20_000)));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await System.Threading.Tasks.Task.Delay(200); // the edge reads start and claims the stream token
        return call;
    }
}
