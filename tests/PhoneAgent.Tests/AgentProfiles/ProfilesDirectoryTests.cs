using PhoneAgent.AgentProfiles;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

public sealed class ProfilesDirectoryTests : IDisposable
{
    private readonly TempProfilesFolder _root = new();

    [Fact]
    public void Relative_path_resolves_against_the_content_root_first()
    {
        var contentRoot = CreateWithProfiles("content");
        var baseDirectory = CreateWithProfiles("bin");

        var directory = ProfilesDirectory.Locate("profiles", contentRoot, baseDirectory);

        Assert.Equal(Path.Combine(contentRoot, "profiles"), directory.FullPath);
        Assert.Equal("profiles/a.json", directory.Display("a.json"));
    }

    [Fact]
    public void Relative_path_falls_back_to_the_application_base_directory()
    {
        var contentRoot = Directory.CreateDirectory(Path.Combine(_root.FullPath, "elsewhere")).FullName;
        var baseDirectory = CreateWithProfiles("bin");

        var directory = ProfilesDirectory.Locate("profiles", contentRoot, baseDirectory);

        Assert.Equal(Path.Combine(baseDirectory, "profiles"), directory.FullPath);
    }

    [Fact]
    public void Absolute_path_is_used_as_it_is()
    {
        var profiles = Path.Combine(CreateWithProfiles("abs"), "profiles");

        var directory = ProfilesDirectory.Locate(profiles, "/nonexistent-content-root", "/nonexistent-base");

        Assert.Equal(profiles, directory.FullPath);
        Assert.Equal(profiles, directory.DisplayPath);
    }

    private string CreateWithProfiles(string name) =>
        Directory.CreateDirectory(Path.Combine(_root.FullPath, name, "profiles")).Parent!.FullName;

    public void Dispose() => _root.Dispose();
}
