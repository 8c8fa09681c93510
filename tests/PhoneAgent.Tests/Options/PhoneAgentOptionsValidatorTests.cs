using Microsoft.Extensions.DependencyInjection;
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

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("01:00:01")]
    public void DrainTimeout_must_be_between_zero_and_an_hour(string value)
    {
        var result = Validate(new PhoneAgentOptions { DrainTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("PhoneAgent:DrainTimeout must be between 00:00:00 and 01:00:00", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DrainTimeout_defaults_to_five_minutes_and_sets_the_hosts_shutdown_timeout_above_it()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), new Dictionary<string, string?> { ["PhoneAgent:DrainTimeout"] = "00:07:00" })
            .Build());
        PhoneAgent.Hosting.CallDrainServiceCollectionExtensions.AddCallDrain(services);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(5), new PhoneAgentOptions().DrainTimeout);
        var host = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(7) + PhoneAgent.Hosting.CallDrain.ShutdownMargin, host.ShutdownTimeout);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(PhoneAgentOptions options) =>
        new PhoneAgentOptionsValidator().Validate(name: null, options);
}
