using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Telephony;
using PhoneAgent.Tests.Telephony.Testing;

namespace PhoneAgent.Tests.Telephony;

/// <summary>The TwiML the edge writes, byte for byte, against golden files in Fixtures/Golden.</summary>
/// <remarks>Set <c>UPDATE_GOLDEN=1</c> to rewrite the files in the source tree after an intended change, then review the diff.</remarks>
public sealed class TwiMLGoldenTests
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Voice_webhook_answers_with_connect_stream_and_parameters()
    {
        using var factory = new TwilioEdgeFactory(
            new Dictionary<string, string?> { ["PhoneAgent:PublicBaseUrl"] = "https://agent.example.com:8443/phone" },
            services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(Now))));
        using var client = factory.CreateClient();
        var form = TwilioTestSigner.VoiceForm("CA11111111111111111111111111111111");

        using var response = await client.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", form, publicBaseUrl: "https://agent.example.com:8443/phone"));

        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        AssertGolden("voice.xml", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("enqueue", "support", "fallback-enqueue.xml")]
    [InlineData("dial", "+15005550123", "fallback-dial.xml")]
    [InlineData("dial", "sip:desk@example.sip.twilio.com", "fallback-dial-sip.xml")]
    [InlineData("hangup", null, "fallback-hangup.xml")]
    public void Fallback_says_the_apology_then_goes_where_the_profile_says(string action, string? target, string golden)
    {
        var profile = new AgentProfile
        {
            Name = "support",
            Language = "en-US",
            Fallback = new FallbackSettings { Action = Enum.Parse<FallbackAction>(action, ignoreCase: true), Target = target, Apology = "Sorry, let me get a colleague." },
        };

        AssertGolden(golden, new TwiMLResult(TwilioTwiML.Fallback(profile)).Text);
    }

    [Fact]
    public void Hangup_and_empty_results()
    {
        AssertGolden("hangup.xml", new TwiMLResult(TwilioTwiML.Hangup()).Text);
        Assert.Equal("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Response></Response>", new TwiMLResult(null).Text);
    }

    internal static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Telephony", "Fixtures", "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Telephony", "Fixtures", "Golden", name);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            return;
        }

        Assert.True(File.Exists(path), $"missing golden file {name}; run with UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings(), actual.ReplaceLineEndings());
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
