using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

/// <summary>The profile that ships in src/PhoneAgent/profiles, as the build output carries it and as the app loads it.</summary>
public sealed class ShippedProfileTests
{
    [Fact]
    public void Customer_support_profile_is_copied_to_the_output_and_is_valid()
    {
        var directory = new ProfilesDirectory("profiles", Path.Combine(AppContext.BaseDirectory, "profiles"));

        var profile = AgentProfileLoader.Load(directory, "customer-support").Default;

        Assert.Equal("customer-support", profile.Name);
        Assert.Equal("en-US", profile.Language);
        Assert.Equal("Aoede", profile.Voice);
        Assert.Equal("You are speaking with an automated assistant.", profile.AiDisclosure);
        Assert.False(string.IsNullOrWhiteSpace(profile.Greeting));
        Assert.False(string.IsNullOrWhiteSpace(profile.SystemInstruction));
        Assert.Equal(BargeInMode.Interrupt, profile.BargeIn.Mode);
        Assert.Equal(new VoiceActivitySettings(), profile.VoiceActivity);
        Assert.Equal(TimeSpan.FromMinutes(30), profile.Limits.MaxCallDuration);
        Assert.Equal(FallbackAction.Enqueue, profile.Fallback.Action);
        Assert.Equal("support", profile.Fallback.Target);
        Assert.Empty(profile.PhoneNumbers);
    }

    [Fact]
    public void Both_shipped_profiles_load_with_their_support_settings()
    {
        var catalog = AgentProfileLoader.Load(new ProfilesDirectory("profiles", Path.Combine(AppContext.BaseDirectory, "profiles")), "customer-support");

        var support = catalog.Default;
        Assert.Equal(
            ["verify_caller", "lookup_customer", "lookup_order", "process_refund", "schedule_callback", "search_knowledge_base", "end_call"],
            support.Tools.Enabled.Where(t => t != "connect_to_human"));
        Assert.Equal(VerificationMethod.PostcodeAndLastOrder, support.Verification.Method);
        Assert.Equal(50m, support.Refunds.AutoApproveLimit);
        Assert.Equal((TransferAction.Enqueue, "support"), (support.Transfer.Action, support.Transfer.Target));
        Assert.Equal("after-hours", support.BusinessHours!.AfterHoursProfile);
        Assert.Contains("verify", support.SystemInstruction, StringComparison.Ordinal);
        Assert.Contains("card numbers", support.SystemInstruction, StringComparison.Ordinal);

        var afterHours = catalog.Get("after-hours")!;
        Assert.Equal(["search_knowledge_base", "schedule_callback", "end_call"], afterHours.Tools.Enabled);
        Assert.Null(afterHours.BusinessHours!.AfterHoursProfile);
        Assert.Equal(
            ["opening-hours.md", "refunds.md", "returns-policy.md", "shipping-times.md"],
            catalog.KnowledgeFiles("after-hours").Select(Path.GetFileName));
        Assert.Equal(catalog.KnowledgeFiles("customer-support"), catalog.KnowledgeFiles("after-hours"));
    }

    [Fact]
    public void App_loads_the_shipped_profiles_with_default_settings()
    {
        using var factory = new PhoneAgentFactory();
        factory.Start();

        var catalog = factory.Services.GetRequiredService<IAgentProfileCatalog>();

        Assert.Equal("customer-support", catalog.Default.Name);
        Assert.Same(catalog.Default, catalog.Resolve("+15551234567"));
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Name == "ProfilesLoaded");
    }

    [Fact]
    public void Omitted_sections_take_their_defaults()
    {
        using var folder = new TempProfilesFolder().Write("minimal.json", ProfileJson.Valid("minimal"));

        var profile = folder.Load("minimal").Default;

        Assert.Equal(BargeInMode.Interrupt, profile.BargeIn.Mode);
        Assert.Equal(SpeechSensitivity.Low, profile.VoiceActivity.StartSensitivity);
        Assert.Equal(600, profile.VoiceActivity.SilenceDurationMs);
        Assert.Equal(TimeSpan.FromMinutes(30), profile.Limits.MaxCallDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), profile.Limits.IdleRepromptAfter);
        Assert.Equal(2, profile.Limits.IdleRepromptMax);
        Assert.Null(profile.Limits.MaxTokensPerCall);
        Assert.Null(profile.Description);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var json = ProfileJson.Valid("commented").ToJsonString().Replace("{\"name\"", "{ // a note for operators\n\"name\"", StringComparison.Ordinal);
        using var folder = new TempProfilesFolder().WriteText("commented.json", json[..^1] + ",}");

        Assert.Equal("commented", folder.Load("commented").Default.Name);
    }
}
