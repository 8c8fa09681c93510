namespace PhoneAgent.Model.Gemini;

/// <summary>An OAuth2 access token and when it stops working. ⚠️ <see cref="Value"/> is a secret; <see cref="ToString"/> hides it.</summary>
internal sealed record GoogleAccessToken(string Value, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"GoogleAccessToken(expires {ExpiresAt:O})";
}

/// <summary>Fetches a new access token every time it is asked (caching is <see cref="VertexAccessTokenCache"/>'s job).</summary>
internal interface IGoogleTokenFetcher
{
    Task<GoogleAccessToken> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>A bearer token valid for at least <see cref="VertexAccessTokenCache.MinimumValidity"/> at the time of asking.</summary>
internal interface IGeminiAccessTokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}
