using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>
/// The Vertex token path for real: a generated service-account key, Google.Apis.Auth's JWT-bearer flow, a local token
/// endpoint, and the cache's rules (at least 5 minutes left at each connect, refreshed ahead of expiry).
/// </summary>
public sealed class VertexAccessTokenTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("phoneagent-sa-").FullName;
    private FakeGoogleTokenEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await FakeGoogleTokenEndpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_service_account_key_gets_a_cloud_platform_token_from_its_token_uri()
    {
        using var fetcher = new GoogleCredentialTokenFetcher(_endpoint.WriteKeyFile(_folder), TimeProvider.System);

        var token = await fetcher.FetchAsync(CancellationToken.None);

        Assert.Null(_endpoint.LastRejection);
        Assert.Equal("ya29.test-token-1", token.Value);
        Assert.Equal(GoogleCredentialTokenFetcher.CloudPlatformScope, _endpoint.LastScope);
        Assert.InRange(token.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.DoesNotContain("ya29", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_cached_refreshed_ahead_of_expiry_and_never_handed_out_with_less_than_five_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var fetcher = new GoogleCredentialTokenFetcher(_endpoint.WriteKeyFile(_folder), time);
        var cache = new VertexAccessTokenCache(fetcher, time, TimeSpan.FromMinutes(10), NullLogger<VertexAccessTokenCache>.Instance);

        // First connect fetches; the next ones reuse the token.
        Assert.Equal("ya29.test-token-1", await cache.GetTokenAsync(CancellationToken.None));
        Assert.Equal("ya29.test-token-1", await cache.GetTokenAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(49));
        Assert.Equal("ya29.test-token-1", await cache.GetTokenAsync(CancellationToken.None));
        Assert.Equal(1, _endpoint.Issued);

        // 9 minutes left: still good for this connect (≥ 5), and a refresh starts in the background.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("ya29.test-token-1", await cache.GetTokenAsync(CancellationToken.None));
        await WaitUntil(() => _endpoint.Issued == 2);
        await WaitUntil(() => cache.Fetches == 2);
        Assert.Equal("ya29.test-token-2", await cache.GetTokenAsync(CancellationToken.None));

        // Less than 5 minutes left on token 2: the connect waits for a new one instead.
        time.Advance(TimeSpan.FromMinutes(56));
        Assert.Equal("ya29.test-token-3", await cache.GetTokenAsync(CancellationToken.None));
        Assert.Equal(3, _endpoint.Issued);
    }

    [Fact]
    public async Task Concurrent_connects_share_one_fetch()
    {
        using var fetcher = new GoogleCredentialTokenFetcher(_endpoint.WriteKeyFile(_folder), TimeProvider.System);
        var cache = new VertexAccessTokenCache(fetcher, TimeProvider.System, TimeSpan.FromMinutes(10), NullLogger<VertexAccessTokenCache>.Instance);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetTokenAsync(CancellationToken.None).AsTask()));

        Assert.All(tokens, t => Assert.Equal("ya29.test-token-1", t));
        Assert.Equal(1, _endpoint.Issued);
    }

    [Fact]
    public async Task A_token_endpoint_error_surfaces_and_the_next_connect_tries_again()
    {
        var keyFile = _endpoint.WriteKeyFile(_folder);
        File.WriteAllText(keyFile, File.ReadAllText(keyFile).Replace("phone-agent@", "someone-else@", StringComparison.Ordinal));
        using var fetcher = new GoogleCredentialTokenFetcher(keyFile, TimeProvider.System);
        var cache = new VertexAccessTokenCache(fetcher, TimeProvider.System, TimeSpan.FromMinutes(10), NullLogger<VertexAccessTokenCache>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() => cache.GetTokenAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAnyAsync<Exception>(() => cache.GetTokenAsync(CancellationToken.None).AsTask());
        Assert.Equal(0, _endpoint.Issued);
        Assert.NotNull(_endpoint.LastRejection);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
