using System.Text.Json.Nodes;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

/// <summary>Every problem in a profile file is reported as <c>{file}: {json path} {what is wrong}</c>.</summary>
public sealed class AgentProfileValidationTests : IDisposable
{
    private const string Calls = "+15551230000";

    private static readonly Dictionary<string, (Func<JsonObject, JsonObject> Break, string Expected)> Cases = new()
    {
        ["missing aiDisclosure"] = (p => p.Without("aiDisclosure"), "profiles/bad.json: $.aiDisclosure is required"),
        ["blank aiDisclosure"] = (p => p.With("aiDisclosure", "  "), "profiles/bad.json: $.aiDisclosure is required"),
        ["missing greeting"] = (p => p.Without("greeting"), "profiles/bad.json: $.greeting is required"),
        ["null greeting"] = (p => p.With("greeting", null), "profiles/bad.json: $.greeting must not be null"),
        ["missing systemInstruction"] = (p => p.Without("systemInstruction"), "profiles/bad.json: $.systemInstruction is required"),
        ["missing name"] = (p => p.Without("name"), "profiles/bad.json: $.name is required"),
        ["name differs from file"] = (p => p.With("name", "good"), "profiles/bad.json: $.name must equal the file name without .json, 'bad' (got 'good')"),
        ["missing language"] = (p => p.Without("language"), "profiles/bad.json: $.language is required"),
        ["bad language"] = (p => p.With("language", "English"), "profiles/bad.json: $.language must be a BCP-47 language tag"),
        ["missing voice"] = (p => p.Without("voice"), "profiles/bad.json: $.voice is required"),
        ["unknown voice"] = (p => p.With("voice", "Aode"), "profiles/bad.json: $.voice 'Aode' is not a Gemini prebuilt voice"),
        ["voice in wrong case"] = (p => p.With("voice", "aoede"), "profiles/bad.json: $.voice 'aoede' is not a Gemini prebuilt voice"),
        ["unknown key"] = (p => p.With("greetings", "Hi"), "profiles/bad.json: $.greetings is not a known key"),
        ["key in wrong case"] = (p => p.Without("greeting").With("Greeting", "Hi"), "profiles/bad.json: $.Greeting is not a known key"),
        ["unknown nested key"] = (p => p.With("limits.maxDuration", "00:10:00"), "profiles/bad.json: $.limits.maxDuration is not a known key"),
        ["bad bargeIn.mode"] = (p => p.With("bargeIn.mode", "sometimes"), "profiles/bad.json: $.bargeIn.mode must be one of \"interrupt\", \"noInterruption\" (got \"sometimes\")"),
        ["bargeIn.mode in wrong case"] = (p => p.With("bargeIn.mode", "Interrupt"), "profiles/bad.json: $.bargeIn.mode must be one of \"interrupt\", \"noInterruption\" (got \"Interrupt\")"),
        ["bargeIn.mode as number"] = (p => p.With("bargeIn.mode", 1), "profiles/bad.json: $.bargeIn.mode must be one of \"interrupt\", \"noInterruption\" (got 1)"),
        ["missing fallback.action"] = (p => p.Without("fallback.action"), "profiles/bad.json: $.fallback.action is required, one of \"enqueue\", \"dial\", \"hangup\""),
        ["bad startSensitivity"] = (p => p.With("voiceActivity.startSensitivity", "medium"), "profiles/bad.json: $.voiceActivity.startSensitivity must be one of \"high\", \"low\" (got \"medium\")"),
        ["bad endSensitivity"] = (p => p.With("voiceActivity.endSensitivity", "HIGH"), "profiles/bad.json: $.voiceActivity.endSensitivity must be one of \"high\", \"low\""),
        ["prefixPaddingMs too big"] = (p => p.With("voiceActivity.prefixPaddingMs", 2001), "profiles/bad.json: $.voiceActivity.prefixPaddingMs must be between 0 and 2000 (got 2001)"),
        ["prefixPaddingMs negative"] = (p => p.With("voiceActivity.prefixPaddingMs", -1), "profiles/bad.json: $.voiceActivity.prefixPaddingMs must be between 0 and 2000 (got -1)"),
        ["prefixPaddingMs as string"] = (p => p.With("voiceActivity.prefixPaddingMs", "100"), "profiles/bad.json: $.voiceActivity.prefixPaddingMs must be a whole number"),
        ["silenceDurationMs too small"] = (p => p.With("voiceActivity.silenceDurationMs", 99), "profiles/bad.json: $.voiceActivity.silenceDurationMs must be between 100 and 5000 (got 99)"),
        ["silenceDurationMs too big"] = (p => p.With("voiceActivity.silenceDurationMs", 5001), "profiles/bad.json: $.voiceActivity.silenceDurationMs must be between 100 and 5000 (got 5001)"),
        ["maxCallDuration one hour"] = (p => p.With("limits.maxCallDuration", "01:00:00"), "profiles/bad.json: $.limits.maxCallDuration must be more than 00:00:00 and less than 01:00:00"),
        ["maxCallDuration zero"] = (p => p.With("limits.maxCallDuration", "00:00:00"), "profiles/bad.json: $.limits.maxCallDuration must be more than 00:00:00"),
        ["maxCallDuration not a duration"] = (p => p.With("limits.maxCallDuration", "half an hour"), "profiles/bad.json: $.limits.maxCallDuration must be a duration such as \"00:30:00\""),
        ["idleRepromptAfter too short"] = (p => p.With("limits.idleRepromptAfter", "00:00:59"), "profiles/bad.json: $.limits.idleRepromptAfter must be at least 00:01:00 (got \"00:00:59\")"),
        ["idleRepromptAfter beyond call"] = (p => p.With("limits.maxCallDuration", "00:05:00").With("limits.idleRepromptAfter", "00:05:00"), "profiles/bad.json: $.limits.idleRepromptAfter must be less than $.limits.maxCallDuration"),
        ["idleRepromptMax negative"] = (p => p.With("limits.idleRepromptMax", -1), "profiles/bad.json: $.limits.idleRepromptMax must be between 0 and 10 (got -1)"),
        ["maxTokensPerCall zero"] = (p => p.With("limits.maxTokensPerCall", 0), "profiles/bad.json: $.limits.maxTokensPerCall must be a positive number when set (got 0)"),
        ["missing fallback"] = (p => p.Without("fallback"), "profiles/bad.json: $.fallback.action is required, one of \"enqueue\", \"dial\", \"hangup\""),
        ["null fallback"] = (p => p.With("fallback", null), "profiles/bad.json: $.fallback must not be null"),
        ["bad fallback.action"] = (p => p.With("fallback.action", "transfer"), "profiles/bad.json: $.fallback.action must be one of \"enqueue\", \"dial\", \"hangup\" (got \"transfer\")"),
        ["missing fallback.apology"] = (p => p.Without("fallback.apology"), "profiles/bad.json: $.fallback.apology is required"),
        ["dial without target"] = (p => p.With("fallback.action", "dial"), "profiles/bad.json: $.fallback.target is required when $.fallback.action is \"dial\""),
        ["dial to a bad target"] = (p => p.With("fallback.action", "dial").With("fallback.target", "555-1234"), "profiles/bad.json: $.fallback.target must be an E.164 number such as \"+15551234567\" or a SIP URI"),
        ["enqueue without target"] = (p => p.With("fallback.action", "enqueue"), "profiles/bad.json: $.fallback.target is required when $.fallback.action is \"enqueue\""),
        ["hangup with target"] = (p => p.With("fallback.target", "support"), "profiles/bad.json: $.fallback.target must not be set when $.fallback.action is \"hangup\""),
        ["phone number not E.164"] = (p => p.With("phoneNumbers", new JsonArray("5551234")), "profiles/bad.json: $.phoneNumbers[0] must be an E.164 number"),
        ["phone number listed twice"] = (p => p.With("phoneNumbers", new JsonArray(Calls, Calls)), $"profiles/bad.json: $.phoneNumbers[1] '{Calls}' is listed twice"),
        ["phoneNumbers not an array"] = (p => p.With("phoneNumbers", Calls), "profiles/bad.json: $.phoneNumbers must be an array"),
    };

    private readonly TempProfilesFolder _folder = new();

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Invalid_profile_is_reported_with_file_and_key(string caseName)
    {
        var (breakIt, expected) = Cases[caseName];
        _folder.Write("bad.json", breakIt(ProfileJson.Valid("bad")));

        var errors = _folder.LoadErrors(defaultProfile: "bad");

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_profile_used_by_these_cases_loads()
    {
        _folder.Write("bad.json", ProfileJson.Valid("bad"));

        Assert.Equal("bad", _folder.Load("bad").Default.Name);
    }

    [Fact]
    public void All_problems_of_a_file_are_reported_together()
    {
        _folder.Write("bad.json", ProfileJson.Valid("bad")
            .Without("aiDisclosure")
            .With("voice", "Nobody")
            .With("voiceActivity.silenceDurationMs", 10)
            .Without("fallback.apology"));

        var errors = _folder.LoadErrors("bad");

        Assert.Collection(
            errors,
            e => Assert.StartsWith("profiles/bad.json: $.voice 'Nobody'", e, StringComparison.Ordinal),
            e => Assert.Equal("profiles/bad.json: $.aiDisclosure is required", e),
            e => Assert.StartsWith("profiles/bad.json: $.voiceActivity.silenceDurationMs must be between", e, StringComparison.Ordinal),
            e => Assert.Equal("profiles/bad.json: $.fallback.apology is required", e));
    }

    [Fact]
    public void Problems_of_every_file_are_reported_together()
    {
        _folder
            .Write("a.json", ProfileJson.Valid("a").Without("greeting"))
            .Write("b.json", ProfileJson.Valid("b").With("bargeIn.mode", "never"))
            .Write("c.json", ProfileJson.Valid("c"));

        var exception = Assert.Throws<PhoneAgent.AgentProfiles.AgentProfileLoadException>(() => _folder.Load("c"));

        Assert.Equal(2, exception.Errors.Count);
        Assert.Contains("profiles/a.json: $.greeting is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains("profiles/b.json: $.bargeIn.mode must be one of", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_file_and_line()
    {
        _folder.WriteText("bad.json", "{\n  \"name\": \"bad\",\n  \"greeting\": \"Hi\"\n  \"voice\": \"Aoede\"\n}");

        var error = Assert.Single(_folder.LoadErrors("bad"));

        Assert.StartsWith("profiles/bad.json: $", error, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", error, StringComparison.Ordinal);
        Assert.EndsWith("(line 4)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_key_is_reported()
    {
        var json = ProfileJson.Valid("bad").ToJsonString();
        _folder.WriteText("bad.json", json.Replace("\"voice\":\"Aoede\"", "\"voice\":\"Aoede\",\"voice\":\"Kore\"", StringComparison.Ordinal));

        var error = Assert.Single(_folder.LoadErrors("bad"));

        Assert.StartsWith("profiles/bad.json: $.voice is a duplicate key", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"customer-support\"")]
    public void Top_level_must_be_an_object(string text)
    {
        _folder.WriteText("bad.json", text);

        var error = Assert.Single(_folder.LoadErrors("bad"));

        Assert.StartsWith("profiles/bad.json: $ must be", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
