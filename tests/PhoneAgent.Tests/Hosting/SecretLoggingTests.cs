using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Hosting;

/// <summary>Secrets reach the log only as "set" or "not set", whether the service starts or fails to.</summary>
public sealed class SecretLoggingTests
{
    private const string AuthToken = "twilio-auth-token-5f0c1d2e3a4b";
    private const string ApiKey = "gemini-api-key-AIzaSyFAKE000";

    [Fact]
    public async Task Secrets_are_logged_as_set_and_never_by_value()
    {
        using var factory = new PhoneAgentFactory(Secrets());
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        var logs = factory.Logs.Entries;
        Assert.Contains(logs, e => e.Message == "Twilio configuration: AuthToken set=True");
        Assert.Contains(logs, e => e.Message == "Gemini configuration: ApiKey set=True");
        AssertNoSecrets(logs);
    }

    [Fact]
    public void Secrets_are_absent_from_the_logs_of_a_failed_start()
    {
        var settings = Secrets();
        settings["PhoneAgent:PublicBaseUrl"] = "not a url";
        settings["PhoneAgent:ProfilesPath"] = "no-such-folder";
        using var factory = new PhoneAgentFactory(settings);

        var exception = Assert.ThrowsAny<Exception>(factory.Start);

        Assert.DoesNotContain(AuthToken, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, exception.ToString(), StringComparison.Ordinal);
        AssertNoSecrets(factory.Logs.Entries);
    }

    [Fact]
    public void Unset_and_blank_secrets_are_logged_as_not_set()
    {
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?> { ["Gemini:ApiKey"] = " " });
        factory.Start();

        Assert.Contains(factory.Logs.Entries, e => e.Message == "Twilio configuration: AuthToken set=False");
        Assert.Contains(factory.Logs.Entries, e => e.Message == "Gemini configuration: ApiKey set=False");
    }

    private static Dictionary<string, string?> Secrets() => new()
    {
        ["Twilio:AuthToken"] = AuthToken,
        ["Gemini:ApiKey"] = ApiKey,
    };

    private static void AssertNoSecrets(IReadOnlyCollection<CapturedLog> logs)
    {
        Assert.NotEmpty(logs);
        Assert.All(logs, e =>
        {
            Assert.DoesNotContain(AuthToken, e.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, e.AllText, StringComparison.Ordinal);
        });
    }
}
