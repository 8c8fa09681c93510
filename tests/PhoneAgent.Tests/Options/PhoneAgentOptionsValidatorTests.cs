using PhoneAgent.Options;

namespace PhoneAgent.Tests.Options;

public sealed class PhoneAgentOptionsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("https://agent.example.com")]
    [InlineData("https://agent.example.com/base/")]
    public void Defaults_and_https_base_urls_are_valid(string? publicBaseUrl)
    {
        var result = Validate(new PhoneAgentOptions { PublicBaseUrl = publicBaseUrl });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://agent.example.com")]
    [InlineData("agent.example.com")]
    [InlineData("/relative")]
    [InlineData("https://agent.example.com/?x=1")]
    [InlineData("wss://agent.example.com")]
    public void PublicBaseUrl_must_be_absolute_https(string publicBaseUrl)
    {
        var result = Validate(new PhoneAgentOptions { PublicBaseUrl = publicBaseUrl });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("PhoneAgent:PublicBaseUrl must be an absolute https URL", failure, StringComparison.Ordinal);
        Assert.Contains(publicBaseUrl, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_key()
    {
        var result = Validate(new PhoneAgentOptions { ProfilesPath = "", DefaultProfile = " ", PublicBaseUrl = "ftp://x" });

        Assert.Collection(
            result.Failures!,
            f => Assert.StartsWith("PhoneAgent:ProfilesPath is required", f, StringComparison.Ordinal),
            f => Assert.StartsWith("PhoneAgent:DefaultProfile is required", f, StringComparison.Ordinal),
            f => Assert.StartsWith("PhoneAgent:PublicBaseUrl must be", f, StringComparison.Ordinal));
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(PhoneAgentOptions options) =>
        new PhoneAgentOptionsValidator().Validate(name: null, options);
}
