using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhoneAgent.Options;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Options;

public sealed class OptionsBindingTests
{
    [Fact]
    public void Defaults_apply_when_nothing_is_configured()
    {
        using var factory = new PhoneAgentFactory();

        var options = factory.Services.GetRequiredService<IOptions<PhoneAgentOptions>>().Value;

        Assert.Equal("profiles", options.ProfilesPath);
        Assert.Equal("customer-support", options.DefaultProfile);
        Assert.Null(options.PublicBaseUrl);
    }

    [Fact]
    public void Sections_bind_from_configuration_keys()
    {
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?>
        {
            ["PhoneAgent:PublicBaseUrl"] = "https://agent.example.com",
            ["Twilio:AuthToken"] = " token ",
            ["Gemini:ApiKey"] = "",
        });

        Assert.Equal("https://agent.example.com", factory.Services.GetRequiredService<IOptions<PhoneAgentOptions>>().Value.PublicBaseUrl);
        Assert.Equal("token", factory.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken);
        Assert.Null(factory.Services.GetRequiredService<IOptions<GeminiOptions>>().Value.ApiKey);
    }
}
