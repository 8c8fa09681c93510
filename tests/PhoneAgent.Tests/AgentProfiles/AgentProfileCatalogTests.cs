using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.AgentProfiles;

public sealed class AgentProfileCatalogTests : IDisposable
{
    private readonly TempProfilesFolder _folder = new TempProfilesFolder()
        .Write("support.json", ProfileJson.Valid("support"))
        .Write("sales.json", ProfileJson.Valid("sales", "+15550001111", "+15550002222"))
        .Write("billing.json", ProfileJson.Valid("billing", "+15550003333"));

    [Theory]
    [InlineData("+15550001111", "sales")]
    [InlineData("+15550002222", "sales")]
    [InlineData("+15550003333", "billing")]
    [InlineData(" +15550003333 ", "billing")]
    [InlineData("+15559999999", "support")]
    [InlineData("client:alice", "support")]
    [InlineData("", "support")]
    [InlineData(null, "support")]
    public void Resolve_picks_the_profile_claiming_the_called_number_else_the_default(string? calledNumber, string expected)
    {
        var catalog = _folder.Load(defaultProfile: "support");

        Assert.Equal(expected, catalog.Resolve(calledNumber).Name);
    }

    [Fact]
    public void Get_finds_by_name_ignoring_case()
    {
        var catalog = _folder.Load("support");

        Assert.Equal("sales", catalog.Get("SALES")?.Name);
        Assert.Null(catalog.Get("nobody"));
    }

    [Fact]
    public void All_lists_every_profile_by_name_and_Default_follows_the_setting()
    {
        var catalog = _folder.Load("Billing");

        Assert.Equal(["billing", "sales", "support"], catalog.All.Select(p => p.Name));
        Assert.Equal("billing", catalog.Default.Name);
    }

    public void Dispose() => _folder.Dispose();
}
