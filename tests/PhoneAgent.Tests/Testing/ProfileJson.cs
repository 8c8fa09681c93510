using System.Text.Json.Nodes;

namespace PhoneAgent.Tests.Testing;

/// <summary>Builds profile JSON: a minimal valid profile that each test breaks in one place.</summary>
public static class ProfileJson
{
    public static JsonObject Valid(string name, params string[] phoneNumbers) => new()
    {
        ["name"] = name,
        ["language"] = "en-US",
        ["systemInstruction"] = "You are a helpful phone agent.",
        ["voice"] = "Aoede",
        ["greeting"] = "How can I help?",
        ["aiDisclosure"] = "You are speaking with an automated assistant.",
        ["phoneNumbers"] = new JsonArray([.. phoneNumbers.Select(n => JsonValue.Create(n))]),
        ["fallback"] = new JsonObject
        {
            ["action"] = "hangup",
            ["apology"] = "Sorry, I can't help right now.",
        },
    };

    /// <summary>Sets (or with <see langword="null"/> removes) a value at a dotted path such as <c>limits.maxCallDuration</c>.</summary>
    public static JsonObject With(this JsonObject profile, string dottedPath, JsonNode? value, bool remove = false)
    {
        var keys = dottedPath.Split('.');
        var target = profile;
        foreach (var key in keys[..^1])
        {
            target = target[key] as JsonObject ?? (JsonObject)(target[key] = new JsonObject());
        }

        if (remove)
        {
            target.Remove(keys[^1]);
        }
        else
        {
            target[keys[^1]] = value;
        }

        return profile;
    }

    public static JsonObject Without(this JsonObject profile, string dottedPath) => profile.With(dottedPath, null, remove: true);
}
