using System.Security.Cryptography;
using System.Text;
using PhoneAgent.CallReplay.Twilio;
using Twilio.Security;

namespace PhoneAgent.CallReplay.Tests.Twilio;

/// <summary>Our signatures, checked by an implementation we did not write: Twilio's own <see cref="RequestValidator"/>.</summary>
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://agent.example.com/twilio/voice")]
    [InlineData("http://127.0.0.1:5050/twilio/voice")]
    [InlineData("https://agent.example.com:8443/phone/twilio/voice")]
    public void Webhook_signature_validates_with_twilios_request_validator(string url)
    {
        var parameters = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE",
            ["Caller"] = "+12349013030",
            ["Digits"] = "1234",
            ["From"] = "+12349013030",
            ["To"] = "+18005551212",
            ["CallToken"] = "%7B%22a%22%3A%22b c&d=e%22%7D",
            ["Empty"] = "",
        };

        var signature = TwilioSignature.Compute(Token, url, parameters);

        Assert.True(new RequestValidator(Token).Validate(url, parameters, signature));
        Assert.False(new RequestValidator("other").Validate(url, parameters, signature));
        Assert.False(new RequestValidator(Token).Validate(url + "x", parameters, signature));
    }

    [Fact]
    public void Matches_the_example_in_twilios_documentation()
    {
        // The worked example of Twilio's webhook security page (auth token 12345).
        var parameters = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE",
            ["Caller"] = "+12349013030",
            ["Digits"] = "1234",
            ["From"] = "+12349013030",
            ["To"] = "+18005551212",
        };
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSignature.Compute(Token, "https://mycompany.com/myapp.php?foo=1&bar=2", parameters));
    }

    [Theory]
    [InlineData(UpgradeSignatureVariant.Exact, "wss://agent.example.com/twilio/media")]
    [InlineData(UpgradeSignatureVariant.TrailingSlash, "wss://agent.example.com/twilio/media/")]
    [InlineData(UpgradeSignatureVariant.DefaultPort, "wss://agent.example.com:443/twilio/media")]
    public void Upgrade_signature_signs_the_chosen_url_form(UpgradeSignatureVariant variant, string signedUrl)
    {
        var signature = TwilioSignature.ComputeUpgrade(Token, "wss://agent.example.com/twilio/media", variant);
        Assert.Equal(Hmac(signedUrl), signature);
    }

    [Fact]
    public void Upgrade_signature_none_sends_no_header() =>
        Assert.Null(TwilioSignature.ComputeUpgrade(Token, "wss://agent.example.com/twilio/media", UpgradeSignatureVariant.None));

    [Fact]
    public void Upgrade_query_parameters_are_signed_as_parameters_as_twilios_agent_sdk_validates()
    {
        var signature = TwilioSignature.ComputeUpgrade(Token, "wss://agent.example.com/media?b=2&a=x%20y", UpgradeSignatureVariant.Exact);
        Assert.Equal(Hmac("wss://agent.example.com/mediaax yb2"), signature);
        Assert.True(new RequestValidator(Token).Validate("wss://agent.example.com/media", new Dictionary<string, string> { ["a"] = "x y", ["b"] = "2" }, signature));
    }

    [Fact]
    public void Upgrade_with_an_explicit_port_validates_with_twilios_request_validator()
    {
        var url = "ws://127.0.0.1:5050/twilio/media";
        var signature = TwilioSignature.ComputeUpgrade(Token, url, UpgradeSignatureVariant.Exact);
        Assert.True(new RequestValidator(Token).Validate(url, new Dictionary<string, string>(), signature));
    }

    private static string Hmac(string data)
    {
#pragma warning disable CA5350 // Twilio's scheme
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes(data)));
#pragma warning restore CA5350
    }
}
