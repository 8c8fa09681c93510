using Microsoft.Extensions.Options;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Hosting;

/// <summary>The service refuses to start on bad configuration, with a message that says what to fix.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly TempProfilesFolder _folder = new();

    [Fact]
    public void Bad_profile_folder_stops_the_start_with_file_and_key()
    {
        _folder
            .Write("customer-support.json", ProfileJson.Valid("customer-support").Without("aiDisclosure"))
            .Write("sales.json", ProfileJson.Valid("sales").With("bargeIn.mode", "sometimes"));
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?> { ["PhoneAgent:ProfilesPath"] = _folder.FullPath });

        var exception = Assert.ThrowsAny<Exception>(factory.Start);

        Assert.Contains($"{_folder.FullPath}/customer-support.json: $.aiDisclosure is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{_folder.FullPath}/sales.json: $.bargeIn.mode must be one of", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_default_profile_stops_the_start()
    {
        _folder.Write("sales.json", ProfileJson.Valid("sales"));
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?>
        {
            ["PhoneAgent:ProfilesPath"] = _folder.FullPath,
            ["PhoneAgent:DefaultProfile"] = "support",
        });

        var exception = Assert.ThrowsAny<Exception>(factory.Start);

        Assert.Contains("PhoneAgent:DefaultProfile: no profile named 'support'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_profile_folder_stops_the_start()
    {
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?> { ["PhoneAgent:ProfilesPath"] = "no-such-folder" });

        var exception = Assert.ThrowsAny<Exception>(factory.Start);

        Assert.Contains("PhoneAgent:ProfilesPath: folder 'no-such-folder' was not found", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_stop_the_start_naming_every_key()
    {
        using var factory = new PhoneAgentFactory(new Dictionary<string, string?>
        {
            ["PhoneAgent:PublicBaseUrl"] = "http://agent.example.com",
            ["PhoneAgent:DefaultProfile"] = " ",
        });

        var exception = Assert.Throws<OptionsValidationException>(factory.Start);

        Assert.Contains("PhoneAgent:PublicBaseUrl must be an absolute https URL", exception.Message, StringComparison.Ordinal);
        Assert.Contains("PhoneAgent:DefaultProfile is required", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
