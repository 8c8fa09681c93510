using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Tests.Telephony.Testing;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

/// <summary>The profile that answers depends on the hour: business hours are read at the call's time, in their zone.</summary>
public sealed class AfterHoursTests
{
    private static readonly AgentProfileCatalog Shipped =
        AgentProfileLoader.Load(new ProfilesDirectory("profiles", Path.Combine(AppContext.BaseDirectory, "profiles")), "customer-support");

    [Theory]
    [InlineData("2026-03-10T12:00:00Z", "customer-support")] // Tuesday 08:00 EDT: just opened
    [InlineData("2026-03-10T11:59:00Z", "after-hours")] // Tuesday 07:59 EDT
    [InlineData("2026-03-10T23:59:00Z", "customer-support")] // Tuesday 19:59 EDT
    [InlineData("2026-03-11T00:00:00Z", "after-hours")] // Tuesday 20:00 EDT: closed
    [InlineData("2026-03-07T13:00:00Z", "after-hours")] // Saturday 08:00 EST: opens at 09:00
    [InlineData("2026-03-07T14:00:00Z", "customer-support")] // Saturday 09:00 EST
    [InlineData("2026-03-08T16:00:00Z", "after-hours")] // Sunday
    [InlineData("2026-12-25T16:00:00Z", "after-hours")] // Friday, Christmas Day
    [InlineData("2026-12-24T16:00:00Z", "customer-support")] // Thursday
    public void The_shipped_default_switches_to_after_hours_when_the_team_is_closed(string utc, string expected)
    {
        var profile = Shipped.ResolveForCall("+15551234567", DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, profile.Name);
    }

    [Theory]
    [InlineData("AlwaysOpen", "2026-03-08T16:00:00Z", "customer-support")] // Sunday, yet open
    [InlineData("AlwaysClosed", "2026-03-10T15:00:00Z", "after-hours")] // Tuesday 11:00, yet closed
    public void PhoneAgent_BusinessHours_overrides_the_clock(string mode, string utc, string expected)
    {
        var catalog = AgentProfileLoader.Load(new ProfilesDirectory("profiles", Path.Combine(AppContext.BaseDirectory, "profiles")), "customer-support", Enum.Parse<BusinessHoursMode>(mode));

        Assert.Equal(expected, catalog.ResolveForCall(null, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)).Name);
    }

    [Fact]
    public void A_profile_without_business_hours_never_switches()
    {
        using var folder = new TempProfilesFolder()
            .Write("a.json", ProfileJson.Valid("a"))
            .Write("b.json", ProfileJson.Valid("b", "+15550009999").With("businessHours", JsonNode.Parse("""
                { "timeZone": "Asia/Tokyo", "weekly": [ { "days": ["monday"], "open": "09:00", "close": "10:00" } ], "afterHoursProfile": "a" }
                """)));
        var catalog = folder.Load("a");
        var mondayNineThirtyTokyo = new DateTimeOffset(2026, 3, 9, 0, 30, 0, TimeSpan.Zero);

        Assert.Equal("a", catalog.ResolveForCall("+15551111111", mondayNineThirtyTokyo.AddHours(5)).Name);
        Assert.Equal("b", catalog.ResolveForCall("+15550009999", mondayNineThirtyTokyo).Name);
        Assert.Equal("a", catalog.ResolveForCall("+15550009999", mondayNineThirtyTokyo.AddHours(1)).Name);
    }

    [Theory]
    [InlineData(15, "customer-support")] // 10:00 in New York
    [InlineData(3, "after-hours")] // 22:00 the evening before
    public async Task The_voice_webhook_answers_with_the_profile_for_the_hour(int utcHour, string expected)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, utcHour, 0, 0, TimeSpan.Zero));
        using var factory = new TwilioEdgeFactory(
            new Dictionary<string, string?> { ["PhoneAgent:BusinessHours"] = "Enforce" },
            services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var client = factory.CreateClient();
        var callSid = TwilioTestSigner.NewCallSid();

        using var response = await client.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(callSid)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var profile = twiml.Root!.Element("Connect")!.Element("Stream")!.Elements("Parameter").Single(p => (string?)p.Attribute("name") == "profile");
        Assert.Equal(expected, (string?)profile.Attribute("value"));
        Assert.Equal(expected, (await factory.Get<PhoneAgent.Calls.ICallStore>().FindAsync(callSid, default))!.Profile);
    }
}
