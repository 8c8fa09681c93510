using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Endpoints;

public sealed class CredentialTests
{
    [Fact]
    public async Task ApiKey_InHeaderOrQuery_IsAccepted()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.ApiKey = "secret");

        await using var header = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(), o => o.SetRequestHeader("x-goog-api-key", "secret"));
        await using var query = await LiveTestClient.SetUpAsync(new Uri(server.DeveloperApiUri + "?key=secret"), Messages.Setup());
    }

    [Fact]
    public async Task WrongApiKey_Closes1007_MissingKey_Closes1008()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.ApiKey = "secret");

        var wrong = await SetupAndCloseAsync(new Uri(server.DeveloperApiUri + "?key=nope"), Messages.Setup());
        var missing = await SetupAndCloseAsync(server.DeveloperApiUri, Messages.Setup());

        Assert.Equal((1007, "API key not valid. Please pass a valid API key."), (wrong.CloseCode, wrong.CloseReason));
        Assert.Equal(1008, missing.CloseCode);
        Assert.StartsWith("Method doesn't allow unregistered callers", missing.CloseReason, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(missing.CloseReason!) <= 123);
    }

    [Fact]
    public async Task Vertex_BearerTokenWithProjectModel_OrExpressKeyWithPublisherModel()
    {
        await using var server = await TestServer.StartAsync(configure: o =>
        {
            o.ApiKey = "key";
            o.AccessToken = "token";
        });
        const string express = "publishers/google/models/gemini-live-2.5-flash-native-audio";

        await using var bearer = await LiveTestClient.SetUpAsync(server.VertexUri, Messages.Setup(Messages.VertexModel), o => o.SetRequestHeader("Authorization", "Bearer token"));
        await using var key = await LiveTestClient.SetUpAsync(server.VertexUri, Messages.Setup(express), o => o.SetRequestHeader("x-goog-api-key", "key"));
        var wrongToken = await SetupAndCloseAsync(server.VertexUri, Messages.Setup(Messages.VertexModel), o => o.SetRequestHeader("Authorization", "Bearer other"));
        var bearerExpress = await SetupAndCloseAsync(server.VertexUri, Messages.Setup(express), o => o.SetRequestHeader("Authorization", "Bearer token"));
        var developerModel = await SetupAndCloseAsync(server.VertexUri, Messages.Setup(Messages.DevModel), o => o.SetRequestHeader("Authorization", "Bearer token"));

        Assert.Equal(1008, wrongToken.CloseCode);
        Assert.StartsWith("Request had invalid authentication credentials.", wrongToken.CloseReason, StringComparison.Ordinal);
        Assert.Equal(1008, bearerExpress.CloseCode);
        Assert.StartsWith("Publisher Model `publishers/google/models/", bearerExpress.CloseReason, StringComparison.Ordinal);
        Assert.Equal(1008, developerModel.CloseCode);
        Assert.Equal(CloseReasons.PublisherModelNotFound(Messages.DevModel), developerModel.CloseReason);
    }

    internal static async Task<ServerEvent> SetupAndCloseAsync(Uri uri, string setup, Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null)
    {
        await using var client = await LiveTestClient.ConnectAsync(uri, configure);
        await client.SendAsync(setup);
        var close = await client.WaitForCloseAsync();
        Assert.DoesNotContain(client.History, e => e.Is("setupComplete"));
        return close;
    }
}
