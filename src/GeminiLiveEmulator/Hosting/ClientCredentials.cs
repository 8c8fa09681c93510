namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>
/// What the upgrade request presented: an API key (<c>x-goog-api-key</c> header or <c>?key=</c>), an OAuth bearer
/// token (<c>Authorization: Bearer</c>; <c>?access_token=</c> on Vertex, as some browser clients do), or an ephemeral
/// token (<c>Authorization: Token</c>, or <c>?access_token=</c> on the Constrained endpoint).
/// </summary>
internal sealed record ClientCredentials(string? ApiKey, string? BearerToken, string? EphemeralToken)
{
    public static ClientCredentials From(HttpRequest request, LiveEndpoint endpoint)
    {
        var key = NullIfEmpty(request.Headers["x-goog-api-key"].ToString()) ?? NullIfEmpty(request.Query["key"].ToString());
        var authorization = request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? NullIfEmpty(authorization[7..].Trim()) : null;
        var ephemeral = authorization.StartsWith("Token ", StringComparison.OrdinalIgnoreCase) ? NullIfEmpty(authorization[6..].Trim()) : null;
        var accessToken = NullIfEmpty(request.Query["access_token"].ToString());
        if (accessToken is not null)
        {
            if (endpoint.Constrained)
            {
                ephemeral ??= accessToken;
            }
            else
            {
                bearer ??= accessToken;
            }
        }

        return new ClientCredentials(key, bearer, ephemeral);
    }

    /// <summary>For the log: which credentials came, never their values.</summary>
    public string Describe()
    {
        var kinds = new List<string>();
        if (ApiKey is not null)
        {
            kinds.Add("API key");
        }

        if (BearerToken is not null)
        {
            kinds.Add("bearer token");
        }

        if (EphemeralToken is not null)
        {
            kinds.Add("ephemeral token");
        }

        return kinds.Count == 0 ? "no credentials" : string.Join(" + ", kinds);
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
