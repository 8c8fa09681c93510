using PhoneAgent.CallReplay.Twilio;

namespace PhoneAgent.CallReplay.Tests.Twilio;

public sealed class UrlMapTests
{
    [Fact]
    public void Without_a_public_url_everything_is_used_as_is()
    {
        var map = new UrlMap(new Uri("http://127.0.0.1:5050/twilio/voice"), null);
        Assert.Equal("ws://127.0.0.1:5050/twilio/media", map.ToActual(new Uri("ws://127.0.0.1:5050/twilio/media")).ToString());
        Assert.Equal(map.ActualWebhook, map.PublicWebhook);
    }

    [Theory]
    [InlineData("https://agent.example.com/twilio/connect-action", "http://127.0.0.1:5050/twilio/connect-action")]
    [InlineData("wss://agent.example.com/twilio/media", "ws://127.0.0.1:5050/twilio/media")]
    [InlineData("wss://agent.example.com:443/twilio/media", "ws://127.0.0.1:5050/twilio/media")]
    [InlineData("https://other.example.com/x", "https://other.example.com/x")]
    public void Public_urls_map_onto_the_actual_base(string publicUrl, string actual)
    {
        var map = new UrlMap(new Uri("http://127.0.0.1:5050/twilio/voice"), new Uri("https://agent.example.com/twilio/voice"));
        Assert.Equal(actual, map.ToActual(new Uri(publicUrl)).ToString());
    }

    [Fact]
    public void A_path_prefix_on_the_public_base_is_mapped_away()
    {
        var map = new UrlMap(new Uri("http://127.0.0.1:5050/twilio/voice"), new Uri("https://agent.example.com:8443/phone/twilio/voice"));
        Assert.Equal("ws://127.0.0.1:5050/twilio/media", map.ToActual(new Uri("wss://agent.example.com:8443/phone/twilio/media")).ToString());
        Assert.Equal("http://127.0.0.1:5050/twilio/stream-status?x=1", map.ToActual(new Uri("https://agent.example.com:8443/phone/twilio/stream-status?x=1")).ToString());
    }
}
