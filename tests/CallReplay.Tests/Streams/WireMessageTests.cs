using System.Text;
using System.Text.Json;
using PhoneAgent.CallReplay.Streams;

namespace PhoneAgent.CallReplay.Tests.Streams;

public sealed class WireMessageTests
{
    private const string Sid = "MZ00000000000000000000000000000001";
    private static readonly StreamIdentity Id = new("AC00000000000000000000000000000000", "CA00000000000000000000000000000002", Sid);

    [Fact]
    public void Messages_have_twilios_shapes()
    {
        using var w = new TwilioStreamWriter();
        Assert.Equal("""{"event":"connected","protocol":"Call","version":"1.0.0"}""", Text(w.Connected()));
        Assert.Equal(
            """{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC00000000000000000000000000000000","streamSid":"MZ00000000000000000000000000000001","callSid":"CA00000000000000000000000000000002","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{"streamToken":"v1.x"}},"streamSid":"MZ00000000000000000000000000000001"}""",
            Text(w.Start(1, Id, [new("streamToken", "v1.x")])));
        Assert.Equal(
            """{"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"//8="},"streamSid":"MZ00000000000000000000000000000001"}""",
            Text(w.Media(2, Sid, 1, 20, [0xFF, 0xFF])));
        Assert.Equal("""{"event":"mark","sequenceNumber":"3","streamSid":"MZ00000000000000000000000000000001","mark":{"name":"t1.f5"}}""", Text(w.Mark(3, Sid, "t1.f5")));
        Assert.Equal("""{"event":"dtmf","streamSid":"MZ00000000000000000000000000000001","sequenceNumber":"4","dtmf":{"track":"inbound_track","digit":"5"}}""", Text(w.Dtmf(4, Sid, '5')));
        Assert.Equal(
            """{"event":"stop","sequenceNumber":"5","streamSid":"MZ00000000000000000000000000000001","stop":{"accountSid":"AC00000000000000000000000000000000","callSid":"CA00000000000000000000000000000002"}}""",
            Text(w.Stop(5, Id)));
    }

    [Fact]
    public void Numbers_can_be_json_numbers()
    {
        using var w = new TwilioStreamWriter(numbersAsStrings: false);
        using var doc = JsonDocument.Parse(w.Media(7, Sid, 3, 60, [0xFF]));
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("sequenceNumber").ValueKind);
        Assert.Equal(60, doc.RootElement.GetProperty("media").GetProperty("timestamp").GetInt32());
    }

    [Fact]
    public void Valid_server_messages_parse()
    {
        Assert.Equal([0xFF, 0xFE], Assert.IsType<MediaMessage>(Parse("""{"event":"media","streamSid":"SID","media":{"payload":"//4="}}""")).Payload);
        Assert.Equal("t1.f5", Assert.IsType<MarkMessage>(Parse("""{"event":"mark","streamSid":"SID","mark":{"name":"t1.f5"}}""")).Name);
        Assert.IsType<ClearMessage>(Parse("""{"streamSid":"SID","event":"clear"}"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"event":"hangup","streamSid":"SID"}""")]
    [InlineData("""{"event":"media","streamSid":"MZother","media":{"payload":"//4="}}""")]
    [InlineData("""{"event":"media","streamSid":"SID","media":{"playload":"//4="}}""")]
    [InlineData("""{"event":"media","streamSid":"SID","media":{"payload":"not base64!"}}""")]
    [InlineData("""{"event":"media","streamSid":"SID","media":{"payload":"//4=","track":"outbound"}}""")]
    [InlineData("""{"event":"media","streamSid":"SID","sequenceNumber":"1","media":{"payload":"//4="}}""")]
    [InlineData("""{"event":"media","media":{"payload":"//4="}}""")]
    [InlineData("""{"event":"mark","streamSid":"SID","mark":{}}""")]
    [InlineData("""{"event":"mark","streamSid":"SID","mark":{"name":5}}""")]
    [InlineData("""{"event":"clear"}""")]
    public void What_twilio_rejects_is_warning_31951(string json)
    {
        var invalid = Assert.IsType<InvalidServerMessage>(Parse(json));
        Assert.Equal(31951, invalid.Code);
    }

    private static ServerMessage Parse(string json) => ServerMessage.Parse(Encoding.UTF8.GetBytes(json.Replace("SID", Sid, StringComparison.Ordinal)), Sid);

    private static string Text(ReadOnlyMemory<byte> utf8) => Encoding.UTF8.GetString(utf8.Span);
}
