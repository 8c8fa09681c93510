using Google.Apis.Auth.OAuth2;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// Gets access tokens from Google.Apis.Auth with scope cloud-platform: from a service-account key file when
/// <c>Gemini:Vertex:CredentialsFile</c> is set, else from application-default credentials (environment variable,
/// gcloud's well-known file, or the metadata server). Each call asks the token endpoint for a new token.
/// </summary>
internal sealed class GoogleCredentialTokenFetcher(string? credentialsFile, TimeProvider timeProvider) : IGoogleTokenFetcher, IDisposable
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>Assumed lifetime of a token whose credential type does not say when it expires.</summary>
    private static readonly TimeSpan UnknownLifetime = TimeSpan.FromMinutes(6);

    private readonly SemaphoreSlim _load = new(1, 1);
    private ICredential? _credential;

    public async Task<GoogleAccessToken> FetchAsync(CancellationToken cancellationToken)
    {
        var credential = await GetCredentialAsync(cancellationToken);
        var started = timeProvider.GetUtcNow();
        switch (credential)
        {
            case ServiceCredential service:
                // Service account keys, compute engine, impersonation, workload identity: force a new token.
                await service.RequestAccessTokenAsync(cancellationToken);
                return FromResponse(service.Token, started);
            case UserCredential user:
                await user.RefreshTokenAsync(cancellationToken);
                return FromResponse(user.Token, started);
            default:
                var value = await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
                return new GoogleAccessToken(value, started + UnknownLifetime);
        }
    }

    private static GoogleAccessToken FromResponse(Google.Apis.Auth.OAuth2.Responses.TokenResponse? response, DateTimeOffset requested)
    {
        if (response?.AccessToken is not { Length: > 0 } value)
        {
            throw new InvalidOperationException("The token endpoint returned no access token.");
        }

        // Measured from when we asked, on our clock: never later than the real expiry.
        var lifetime = TimeSpan.FromSeconds(response.ExpiresInSeconds ?? 0);
        return new GoogleAccessToken(value, requested + lifetime);
    }

    private async Task<ICredential> GetCredentialAsync(CancellationToken cancellationToken)
    {
        if (_credential is { } loaded)
        {
            return loaded;
        }

        await _load.WaitAsync(cancellationToken);
        try
        {
            if (_credential is null)
            {
                // A key file must hold a service-account key; anything else goes through application-default
                // credentials (GOOGLE_APPLICATION_CREDENTIALS), which handle every credential type.
                var google = credentialsFile is null
                    ? await GoogleCredential.GetApplicationDefaultAsync(cancellationToken)
                    : GoogleCredential.FromServiceAccountCredential(await CredentialFactory.FromFileAsync<ServiceAccountCredential>(credentialsFile, cancellationToken));
                _credential = google.CreateScoped(CloudPlatformScope).UnderlyingCredential;
            }

            return _credential;
        }
        finally
        {
            _load.Release();
        }
    }

    public void Dispose() => _load.Dispose();
}
