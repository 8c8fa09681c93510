using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.Calls;
using PhoneAgent.Tests.Telephony.Testing;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Bridge;

/// <summary>Call recording per profile: <c>&lt;Start&gt;&lt;Recording&gt;</c> before <c>&lt;Connect&gt;</c>, the recording id on the call record.</summary>
public sealed class RecordingTests
{
    [Fact]
    public async Task A_recording_profile_starts_a_recording_before_the_stream_and_keeps_its_id()
    {
        using var folder = new TempProfilesFolder().Write("customer-support.json", ProfileJson.Valid("customer-support").With("recording.enabled", true));
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["PhoneAgent:ProfilesPath"] = folder.FullPath });
        using var client = factory.CreateClient();
        var callSid = TwilioTestSigner.NewCallSid();

        using var voice = TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(callSid));
        var twiml = await (await client.SendAsync(voice)).Content.ReadAsStringAsync();
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(twiml, @"<Start>\s*<Recording [^>]*recordingStatusCallback=""https://agent.example.com/twilio/recording-status""[^>]*>(</Recording>)?\s*</Start>\s*<Connect"), twiml);
        Assert.Contains("channels=\"dual\"", twiml, StringComparison.Ordinal);

        using var status = TwilioTestSigner.SignedPost("/twilio/recording-status", new Dictionary<string, string>
        {
            ["CallSid"] = callSid,
            ["AccountSid"] = TwilioEdgeFactory.AccountSid,
            ["RecordingSid"] = "RE0123456789abcdef0123456789abcdef",
            ["RecordingStatus"] = "in-progress",
        });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.SendAsync(status)).StatusCode);
        var call = await factory.Services.GetRequiredService<ICallStore>().FindAsync(callSid, default);
        Assert.Equal("RE0123456789abcdef0123456789abcdef", call!.RecordingSid);
    }

    [Fact]
    public async Task Recording_is_off_by_default()
    {
        using var factory = new TwilioEdgeFactory();
        using var client = factory.CreateClient();
        using var voice = TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(TwilioTestSigner.NewCallSid()));
        var twiml = await (await client.SendAsync(voice)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<Recording", twiml, StringComparison.Ordinal);
    }
}
