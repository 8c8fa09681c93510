using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Hosting;

public sealed class StartupReportTests
{
    [Fact]
    public void Start_logs_the_configuration_and_the_listen_address()
    {
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?> { ["PhoneAgent:PublicBaseUrl"] = "https://agent.example.com" });
        factory.Start();

        var messages = factory.Logs.Entries.Select(e => e.Message).ToList();
        Assert.Contains("PhoneAgent configuration: ProfilesPath=profiles, DefaultProfile=customer-support, PublicBaseUrl=https://agent.example.com", messages);
        Assert.Contains("Listen address http://127.0.0.1:5050 (from Default)", messages);
        Assert.Contains("Agent profile customer-support: language en-US, voice Aoede, 0 phone number(s), fallback Enqueue", messages);
    }
}
