using System.Text.Json.Nodes;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

/// <summary>The support sections (verification, refunds, business hours, knowledge, transfer), in the same error style.</summary>
public sealed class SupportProfileValidationTests : IDisposable
{
    private static readonly JsonNode Hours = JsonNode.Parse("""
        { "timeZone": "America/New_York", "weekly": [ { "days": ["monday"], "open": "09:00", "close": "17:00" } ] }
        """)!;

    private static readonly Dictionary<string, (Func<JsonObject, JsonObject> Break, string Expected)> Cases = new()
    {
        ["connect_to_human without a target"] = (p => Tools(p, "connect_to_human"), "profiles/bad.json: $.transfer.target is required when $.tools.enabled lists \"connect_to_human\""),
        ["dial to a queue name"] = (p => p.With("transfer.action", "dial").With("transfer.target", "support"), "profiles/bad.json: $.transfer.target must be an E.164 number such as \"+15551234567\" or a SIP URI"),
        ["bad transfer action"] = (p => p.With("transfer.action", "warm"), "profiles/bad.json: $.transfer.action must be one of \"enqueue\", \"dial\" (got \"warm\")"),
        ["transfer timeout too short"] = (p => p.With("transfer.timeout", "00:00:02"), "profiles/bad.json: $.transfer.timeout must be between 00:00:05 and 00:10:00"),
        ["bad verification method"] = (p => p.With("verification.method", "voiceprint"), "profiles/bad.json: $.verification.method must be one of \"pin\", \"postcodeAndLastOrder\" (got \"voiceprint\")"),
        ["maxAttempts zero"] = (p => p.With("verification.maxAttempts", 0), "profiles/bad.json: $.verification.maxAttempts must be between 1 and 10 (got 0)"),
        ["attestation shortcut with a pin"] = (p => p.With("verification.attestedCallerNeedsOneFactorFewer", true), "profiles/bad.json: $.verification.attestedCallerNeedsOneFactorFewer is allowed only with $.verification.method \"postcodeAndLastOrder\""),
        ["lookup without verify_caller"] = (p => Tools(p, "lookup_order"), "profiles/bad.json: $.tools.enabled lists \"lookup_order\", which needs \"verify_caller\" too"),
        ["process_refund without a limit"] = (p => Tools(p, "verify_caller", "process_refund"), "profiles/bad.json: $.refunds.autoApproveLimit is required when $.tools.enabled lists \"process_refund\""),
        ["limit with three decimals"] = (p => p.With("refunds.autoApproveLimit", 10.005), "profiles/bad.json: $.refunds.autoApproveLimit must be an amount of at least 0 with at most 2 decimals (got 10.005)"),
        ["negative limit"] = (p => p.With("refunds.autoApproveLimit", -1), "profiles/bad.json: $.refunds.autoApproveLimit must be an amount of at least 0"),
        ["limit as words"] = (p => p.With("refunds.autoApproveLimit", "fifty"), "profiles/bad.json: $.refunds.autoApproveLimit must be a number"),
        ["bad currency"] = (p => p.With("refunds.currency", "usd"), "profiles/bad.json: $.refunds.currency must be an ISO 4217 code such as \"USD\" (got 'usd')"),
        ["unknown time zone"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.timeZone", "Mars/Olympus"), "profiles/bad.json: $.businessHours.timeZone 'Mars/Olympus' is not a known IANA time zone"),
        ["missing time zone"] = (p => p.With("businessHours", Hours.DeepClone()).Without("businessHours.timeZone"), "profiles/bad.json: $.businessHours.timeZone is required"),
        ["no windows"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.weekly", new JsonArray()), "profiles/bad.json: $.businessHours.weekly must list at least one opening window"),
        ["bad day"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.weekly", JsonNode.Parse("""[{"days":["Monday"],"open":"09:00","close":"17:00"}]""")), "profiles/bad.json: $.businessHours.weekly[0].days[0] must be one of \"monday\""),
        ["bad opening time"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.weekly", JsonNode.Parse("""[{"days":["monday"],"open":"9am","close":"17:00"}]""")), "profiles/bad.json: $.businessHours.weekly[0].open must be a time of day \"HH:mm\""),
        ["closing before opening"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.weekly", JsonNode.Parse("""[{"days":["friday"],"open":"22:00","close":"02:00"}]""")), "profiles/bad.json: $.businessHours.weekly[0].close must be after $.businessHours.weekly[0].open"),
        ["bad closed date"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.closedDates", new JsonArray("25/12/2026")), "profiles/bad.json: $.businessHours.closedDates[0] must be a date such as \"2026-12-25\""),
        ["after hours is itself"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.afterHoursProfile", "bad"), "profiles/bad.json: $.businessHours.afterHoursProfile must name another profile"),
        ["after hours is missing"] = (p => p.With("businessHours", Hours.DeepClone()).With("businessHours.afterHoursProfile", "night"), "profiles/bad.json: $.businessHours.afterHoursProfile names 'night', which is not a profile in this folder"),
        ["knowledge outside the folder"] = (p => p.With("knowledge.articles", new JsonArray("../secrets.md")), "profiles/bad.json: $.knowledge.articles[0] must stay inside the profiles folder"),
        ["knowledge not markdown"] = (p => p.With("knowledge.articles", new JsonArray("knowledge/faq.txt")), "profiles/bad.json: $.knowledge.articles[0] must name markdown files ending in .md"),
        ["knowledge file missing"] = (p => p.With("knowledge.articles", new JsonArray("knowledge/none-*.md")), "profiles/bad.json: $.knowledge.articles[0] 'knowledge/none-*.md' matches no markdown file in profiles"),
        ["search without articles"] = (p => Tools(p, "search_knowledge_base"), "profiles/bad.json: $.knowledge.articles must list at least one article when $.tools.enabled lists \"search_knowledge_base\""),
        ["googleSearch not a bool"] = (p => p.With("googleSearch", "yes"), "profiles/bad.json: $.googleSearch must be true or false"),
    };

    private readonly TempProfilesFolder _folder = new();

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Invalid_support_section_is_reported_with_file_and_key(string caseName)
    {
        var (breakIt, expected) = Cases[caseName];
        _folder.Write("bad.json", breakIt(ProfileJson.Valid("bad")));

        var errors = _folder.LoadErrors(defaultProfile: "bad");

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_profile_without_the_new_sections_gets_their_defaults()
    {
        _folder.Write("plain.json", ProfileJson.Valid("plain"));

        var profile = _folder.Load("plain").Default;

        Assert.Equal(VerificationMethod.Pin, profile.Verification.Method);
        Assert.Equal(3, profile.Verification.MaxAttempts);
        Assert.False(profile.Verification.AttestedCallerNeedsOneFactorFewer);
        Assert.Null(profile.Refunds.AutoApproveLimit);
        Assert.Equal("USD", profile.Refunds.Currency);
        Assert.Null(profile.BusinessHours);
        Assert.Empty(profile.Knowledge.Articles);
        Assert.False(profile.GoogleSearch);
    }

    [Fact]
    public void Knowledge_patterns_resolve_to_the_markdown_files_in_the_folder()
    {
        Directory.CreateDirectory(Path.Combine(_folder.FullPath, "kb"));
        _folder.WriteText("kb/b.md", "# B").WriteText("kb/a.md", "# A").WriteText("kb/notes.txt", "x");
        _folder.Write("p.json", ProfileJson.Valid("p").With("knowledge.articles", new JsonArray("kb/*.md", "kb/a.md")));

        var files = _folder.Load("p").KnowledgeFiles("p");

        Assert.Equal(["a.md", "b.md"], files.Select(Path.GetFileName));
    }

    public void Dispose() => _folder.Dispose();

    private static JsonObject Tools(JsonObject profile, params string[] names) =>
        profile.With("tools.enabled", new JsonArray([.. names.Select(n => JsonValue.Create(n))]));
}
