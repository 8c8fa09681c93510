using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;

namespace PhoneAgent.Tests.Model;

/// <summary>URLs, headers and model resources per back end.</summary>
public sealed class GeminiEndpointResolverTests
{
    [Theory]
    [InlineData(false, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent")]
    [InlineData(true, "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent")]
    public async Task Developer_API(bool preview, string url)
    {
        var resolver = new GeminiEndpointResolver(GeminiBackend.DeveloperApi, new GeminiOptions { ApiKey = "k" }, null, null);

        var target = await resolver.ResolveAsync("gemini-x", 0, preview, CancellationToken.None);

        Assert.Equal(url, target.Uri.ToString());
        Assert.Equal("models/gemini-x", target.ModelResource);
        Assert.Equal([new KeyValuePair<string, string>("x-goog-api-key", "k")], target.Headers);
        Assert.DoesNotContain("k", target.ToString().Replace("ws/google", "", StringComparison.Ordinal).Replace("/ws", "", StringComparison.Ordinal).Split('/').Last(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-central1", "wss://us-central1-aiplatform.googleapis.com")]
    [InlineData("global", "wss://aiplatform.googleapis.com")]
    [InlineData("eu", "wss://aiplatform.eu.rep.googleapis.com")]
    public async Task Vertex_hosts_per_location(string location, string origin)
    {
        var resolver = new GeminiEndpointResolver(GeminiBackend.Vertex, new GeminiOptions { Vertex = { Project = "p", Location = location } }, new Token(), null);

        var target = await resolver.ResolveAsync("gemini-live-2.5-flash-native-audio", 0, previewFeatures: true, CancellationToken.None);

        Assert.Equal(origin + "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", target.Uri.ToString());
        Assert.Equal($"projects/p/locations/{location}/publishers/google/models/gemini-live-2.5-flash-native-audio", target.ModelResource);
        Assert.Equal([new KeyValuePair<string, string>("Authorization", "Bearer t")], target.Headers);
    }

    [Fact]
    public async Task Vertex_express_mode_uses_the_key_and_the_short_model_name()
    {
        var resolver = new GeminiEndpointResolver(GeminiBackend.Vertex, new GeminiOptions { ApiKey = "k", Vertex = { Location = "europe-west4" } }, null, null);

        var target = await resolver.ResolveAsync("m", 0, false, CancellationToken.None);

        Assert.Equal("wss://aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent", target.Uri.ToString());
        Assert.Equal("publishers/google/models/m", target.ModelResource);
        Assert.Equal("x-goog-api-key", Assert.Single(target.Headers).Key);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:8080", "ws://127.0.0.1:8080/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent")]
    [InlineData("http://127.0.0.1:8080/", "ws://127.0.0.1:8080/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent")]
    [InlineData("https://proxy.example.com", "wss://proxy.example.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent")]
    [InlineData("wss://proxy.example.com:9443/custom/path?x=1", "wss://proxy.example.com:9443/custom/path?x=1")]
    public async Task The_endpoint_override(string endpoint, string url)
    {
        var resolver = new GeminiEndpointResolver(GeminiBackend.DeveloperApi, new GeminiOptions { ApiKey = "k", Endpoint = endpoint }, null, null);

        var target = await resolver.ResolveAsync("m", 0, false, CancellationToken.None);

        Assert.Equal(url, target.Uri.ToString());
        Assert.DoesNotContain("?", target.LogUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Locations_are_the_primary_then_the_fallbacks_in_order()
    {
        var resolver = new GeminiEndpointResolver(GeminiBackend.Vertex, new GeminiOptions { Vertex = { Project = "p", Location = "europe-west4", FallbackLocations = ["europe-west1", "EUROPE-WEST4", "europe-west9"] } }, new Token(), null);

        Assert.Equal(["europe-west4", "europe-west1", "europe-west9"], resolver.Locations);
    }

    private sealed class Token : IGeminiAccessTokenSource
    {
        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult("t");
    }
}
