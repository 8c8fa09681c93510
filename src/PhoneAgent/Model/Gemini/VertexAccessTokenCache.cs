namespace PhoneAgent.Model.Gemini;

/// <summary>
/// Caches the Vertex AI bearer token. Every connect gets a token with at least <see cref="MinimumValidity"/> (5 min)
/// left; once less than the refresh-ahead window remains, a refresh starts in the background while the still-good
/// token keeps being handed out, so connects rarely wait for the token endpoint. Concurrent callers share one fetch.
/// </summary>
internal sealed partial class VertexAccessTokenCache(IGoogleTokenFetcher fetcher, TimeProvider timeProvider, TimeSpan refreshAhead, ILogger<VertexAccessTokenCache> logger)
    : IGeminiAccessTokenSource
{
    public static readonly TimeSpan MinimumValidity = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly TimeSpan _refreshAhead = refreshAhead < MinimumValidity ? MinimumValidity : refreshAhead;
    private GoogleAccessToken? _current;
    private Task<GoogleAccessToken>? _refresh;

    /// <summary>How many times the token endpoint was asked (for tests and diagnostics).</summary>
    public int Fetches { get; private set; }

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        Task<GoogleAccessToken> refresh;
        lock (_gate)
        {
            var left = _current is null ? TimeSpan.Zero : _current.ExpiresAt - timeProvider.GetUtcNow();
            if (_current is not null && left >= _refreshAhead)
            {
                return _current.Value;
            }

            refresh = _refresh ??= RefreshAsync();
            if (_current is not null && left >= MinimumValidity)
            {
                // :: Good for this connect; the refresh runs ahead of expiry in the background.
                return _current.Value;
            }
        }

        var token = await refresh.WaitAsync(cancellationToken);
        return token.Value;
    }

    private async Task<GoogleAccessToken> RefreshAsync()
    {
        await Task.Yield();
        try
        {
            var token = await fetcher.FetchAsync(CancellationToken.None);
            Fetches++;
            var left = token.ExpiresAt - timeProvider.GetUtcNow();
            if (left < MinimumValidity)
            {
                // The credential handed back a token about to expire (its own cache): ask once more.
                token = await fetcher.FetchAsync(CancellationToken.None);
                Fetches++;
                left = token.ExpiresAt - timeProvider.GetUtcNow();
                if (left < MinimumValidity)
                {
                    Log.ShortLivedToken(logger, left);
                }
            }

            Log.TokenRefreshed(logger, token.ExpiresAt);
            lock (_gate)
            {
                _current = token;
                _refresh = null;
            }

            return token;
        }
        catch (Exception ex)
        {
            Log.TokenRefreshFailed(logger, ex);
            lock (_gate)
            {
                _refresh = null;
            }

            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(360, LogLevel.Debug, "Vertex AI access token refreshed; valid until {ExpiresAt:O}", EventName = "VertexTokenRefreshed")]
        public static partial void TokenRefreshed(ILogger logger, DateTimeOffset expiresAt);

        [LoggerMessage(361, LogLevel.Warning, "Vertex AI access token has only {Left} left right after a refresh", EventName = "VertexTokenShortLived")]
        public static partial void ShortLivedToken(ILogger logger, TimeSpan left);

        [LoggerMessage(362, LogLevel.Error, "Could not obtain a Vertex AI access token", EventName = "VertexTokenFailed")]
        public static partial void TokenRefreshFailed(ILogger logger, Exception exception);
    }
}
