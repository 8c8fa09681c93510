using System.Net;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Endpoints;

public sealed class PathTests
{
    public static TheoryData<string, bool> Paths => new()
    {
        { "/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent", false },
        { "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", false },
        { "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent", false },
        { "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained", false },
        { "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContentConstrained", false },
        { "/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent", true },
        { "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", true },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task EveryPath_WithOneOrTwoLeadingSlashes_CompletesSetup(string path, bool vertex)
    {
        await using var server = await TestServer.StartAsync();
        foreach (var prefix in new[] { "", "/" })
        {
            var uri = new Uri($"ws://127.0.0.1:{server.BaseUri.Port}{prefix}{path}");
            await using var client = await LiveTestClient.SetUpAsync(uri, Messages.Setup(vertex ? Messages.VertexModel : Messages.DevModel));
        }

        Assert.All(server.Sessions, s => Assert.Equal(vertex ? EmulatorBackend.Vertex : EmulatorBackend.DeveloperApi, s.Backend));
        Assert.All(server.Sessions, s => Assert.Equal(path, s.Path));
    }

    [Fact]
    public async Task DoubledSlash_ReachesTheEndpoint_UnknownPathsAre404()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        var port = server.BaseUri.Port;

        var doubled = await http.GetAsync(new Uri($"http://127.0.0.1:{port}//ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"));
        var unknownVersion = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent"));
        var unknown = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/ws/nothing"));

        Assert.Equal(HttpStatusCode.BadRequest, doubled.StatusCode); // the endpoint, asking for a WebSocket upgrade
        Assert.Equal(HttpStatusCode.NotFound, unknownVersion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ServerUris_PointAtTheDefaultVersions()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Equal("http", server.BaseUri.Scheme);
        Assert.Equal("127.0.0.1", server.BaseUri.Host);
        Assert.NotEqual(0, server.BaseUri.Port);
        Assert.Equal($"ws://127.0.0.1:{server.BaseUri.Port}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", server.DeveloperApiUri.ToString());
        Assert.Equal($"ws://127.0.0.1:{server.BaseUri.Port}/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", server.VertexUri.ToString());
        Assert.EndsWith("v1alpha.GenerativeService.BidiGenerateContentConstrained", server.GetDeveloperApiUri("v1alpha", constrained: true).ToString(), StringComparison.Ordinal);
    }
}
