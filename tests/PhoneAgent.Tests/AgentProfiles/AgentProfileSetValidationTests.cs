using PhoneAgent.AgentProfiles;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

/// <summary>Rules that span the profiles of a folder.</summary>
public sealed class AgentProfileSetValidationTests : IDisposable
{
    private readonly TempProfilesFolder _folder = new();

    [Fact]
    public void Duplicate_names_are_reported()
    {
        _folder
            .Write("Sales.json", ProfileJson.Valid("Sales"))
            .Write("sales.json", ProfileJson.Valid("sales"));

        var error = Assert.Single(_folder.LoadErrors("sales"));

        Assert.Equal("profiles/sales.json: $.name 'sales' is already the name of profiles/Sales.json (names are case-insensitive)", error);
    }

    [Fact]
    public void Phone_number_claimed_by_two_profiles_is_reported()
    {
        _folder
            .Write("sales.json", ProfileJson.Valid("sales", "+15550001111"))
            .Write("support.json", ProfileJson.Valid("support", "+15550002222", "+15550001111"));

        var error = Assert.Single(_folder.LoadErrors("support"));

        Assert.Equal("profiles/support.json: $.phoneNumbers[1] '+15550001111' is already claimed by profiles/sales.json", error);
    }

    [Fact]
    public void Missing_default_profile_is_reported()
    {
        _folder.Write("sales.json", ProfileJson.Valid("sales"));

        var error = Assert.Single(_folder.LoadErrors("customer-support"));

        Assert.Equal("PhoneAgent:DefaultProfile: no profile named 'customer-support' in profiles (found: sales)", error);
    }

    [Fact]
    public void Empty_folder_is_reported()
    {
        var error = Assert.Single(_folder.LoadErrors("customer-support"));

        Assert.StartsWith("profiles: no agent profiles found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder_names_the_setting_and_where_it_looked()
    {
        var contentRoot = Path.Combine(_folder.FullPath, "content");
        var baseDirectory = Path.Combine(_folder.FullPath, "bin");

        var exception = Assert.Throws<AgentProfileLoadException>(
            () => ProfilesDirectory.Locate("profiles", contentRoot, baseDirectory));

        Assert.Contains("PhoneAgent:ProfilesPath: folder 'profiles' was not found", exception.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(contentRoot, "profiles"), exception.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(baseDirectory, "profiles"), exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
