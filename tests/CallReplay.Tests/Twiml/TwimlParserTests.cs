using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.Tests.Twiml;

public sealed class TwimlParserTests
{
    [Fact]
    public void Connect_stream_with_parameters_and_action()
    {
        var doc = TwimlParser.Parse("""
            <?xml version="1.0" encoding="utf-8"?>
            <Response>
              <Connect action="https://a.example.com/twilio/connect-action">
                <Stream url="wss://a.example.com/twilio/media" name="agent" statusCallback="https://a.example.com/twilio/stream-status" statusCallbackMethod="get">
                  <Parameter name="streamToken" value="v1.1.2.abc" />
                  <Parameter name="profile" value="customer-support" />
                </Stream>
              </Connect>
              <Say>Only after the stream.</Say>
            </Response>
            """);

        var connect = Assert.IsType<ConnectStreamVerb>(doc.Verbs[0]);
        Assert.Equal(("https://a.example.com/twilio/connect-action", "POST"), (connect.Action, connect.Method));
        Assert.Equal("wss://a.example.com/twilio/media", connect.Stream.Url);
        Assert.Equal(("agent", "inbound_track", "GET"), (connect.Stream.StreamName, connect.Stream.Track, connect.Stream.StatusCallbackMethod));
        Assert.Equal([new("streamToken", "v1.1.2.abc"), new("profile", "customer-support")], connect.Stream.Parameters);
        Assert.Equal("Only after the stream.", Assert.IsType<SayVerb>(doc.Verbs[1]).Text);
    }

    [Fact]
    public void Every_verb_with_its_defaults()
    {
        var doc = TwimlParser.Parse("""
            <Response>
              <Say voice="Polly.Joanna" loop="2">  Hello
                 there  </Say>
              <Play digits="1w2#"/>
              <Play>https://x.example.com/hold.mp3</Play>
              <Pause/>
              <Pause length="3"/>
              <Dial action="/dial-result" timeout="20" callerId="+15550001111"><Number>+15551234567</Number></Dial>
              <Dial>+15557654321</Dial>
              <Dial><Client>alice</Client><Sip>sip:bob@example.com</Sip></Dial>
              <Enqueue action="/queue-result" waitUrl="/hold">support</Enqueue>
              <Redirect method="GET">/next</Redirect>
              <Start><Recording recordingStatusCallback="/rec"/></Start>
              <Gather input="dtmf"/>
              <Reject reason="busy"/>
              <Hangup/>
            </Response>
            """);

        Assert.Equal(new SayVerb("Hello there", "Polly.Joanna", null, 2), doc.Verbs[0]);
        Assert.Equal(new PlayVerb(null, "1w2#", 1), doc.Verbs[1]);
        Assert.Equal(new PlayVerb("https://x.example.com/hold.mp3", null, 1), doc.Verbs[2]);
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.IsType<PauseVerb>(doc.Verbs[3]).Length);
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<PauseVerb>(doc.Verbs[4]).Length);
        var dial = Assert.IsType<DialVerb>(doc.Verbs[5]);
        Assert.Equal(("/dial-result", "POST", TimeSpan.FromSeconds(20), "+15550001111"), (dial.Action, dial.Method, dial.Timeout, dial.CallerId));
        Assert.Equal([new DialTarget("Number", "+15551234567")], dial.Targets);
        var bare = Assert.IsType<DialVerb>(doc.Verbs[6]);
        Assert.Equal((null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(14400)), (bare.Action, bare.Timeout, bare.TimeLimit));
        Assert.Equal("+15557654321", Assert.Single(bare.Targets).ToString());
        Assert.Equal(["client:alice", "sip:sip:bob@example.com"], Assert.IsType<DialVerb>(doc.Verbs[7]).Targets.Select(t => t.ToString()));
        Assert.Equal(new EnqueueVerb("support", "/queue-result", "POST", "/hold", null), doc.Verbs[8]);
        Assert.Equal(new RedirectVerb("/next", "GET"), doc.Verbs[9]);
        Assert.Equal(["Recording"], Assert.IsType<StartVerb>(doc.Verbs[10]).Nouns);
        Assert.Equal("Gather", Assert.IsType<UnsupportedVerb>(doc.Verbs[11]).Element);
        Assert.Equal("busy", Assert.IsType<RejectVerb>(doc.Verbs[12]).Reason);
        Assert.IsType<HangupVerb>(doc.Verbs[13]);
    }

    [Fact]
    public void Connect_with_another_noun_is_not_simulated() =>
        Assert.IsType<UnsupportedVerb>(Assert.Single(TwimlParser.Parse("<Response><Connect><Room>r</Room></Connect></Response>").Verbs));

    [Theory]
    [InlineData("not xml")]
    [InlineData("<Response><Say>unclosed</Response>")]
    [InlineData("<Document/>")]
    [InlineData("<Response><Redirect/></Response>")]
    [InlineData("<Response><Dial/></Response>")]
    [InlineData("<Response><Connect><Stream/></Connect></Response>")]
    [InlineData("<Response><Pause length=\"soon\"/></Response>")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><Response/>")]
    public void What_twilio_cannot_parse_is_error_12100(string xml)
    {
        var e = Assert.Throws<TwimlParseException>(() => TwimlParser.Parse(xml));
        Assert.Equal(12100, e.ErrorCode);
    }
}
