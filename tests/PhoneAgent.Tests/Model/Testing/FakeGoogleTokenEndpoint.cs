using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PhoneAgent.Tests.Model.Testing;

/// <summary>
/// A local OAuth2 token endpoint (Kestrel on 127.0.0.1:0) for a generated service-account key: it checks the
/// JWT-bearer grant for what Google checks (RS256 signature with the key's public half, issuer, audience,
/// scope) and hands out numbered tokens, so the real Google.Apis.Auth flow runs without network.
/// </summary>
public sealed class FakeGoogleTokenEndpoint : IAsyncDisposable
{
    public const string ClientEmail = "phone-agent@test-project.iam.gserviceaccount.com";

    public const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private int _issued;

    private FakeGoogleTokenEndpoint(WebApplication app) => _app = app;

    public Uri TokenUri { get; private set; } = null!;

    /// <summary>Lifetime of the tokens handed out.</summary>
    public int ExpiresInSeconds { get; set; } = 3600;

    public int Issued => Volatile.Read(ref _issued);

    /// <summary>Why the last rejected grant was rejected.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Scopes of the last accepted grant.</summary>
    public string? LastScope { get; private set; }

    public static async Task<FakeGoogleTokenEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new FakeGoogleTokenEndpoint(app);
        app.MapPost("/token", endpoint.IssueAsync);
        await app.StartAsync();
        endpoint.TokenUri = new Uri(new Uri(app.Urls.First()), "/token");
        return endpoint;
    }

    /// <summary>A service-account key file (JSON) whose <c>token_uri</c> is this endpoint.</summary>
    public string WriteKeyFile(string folder)
    {
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "test-project",
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = _key.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = ClientEmail,
            ["client_id"] = "100000000000000000001",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = TokenUri.ToString(),
        };
        var path = Path.Combine(folder, "service-account.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private async Task<IResult> IssueAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return Reject($"grant_type {form["grant_type"]}");
        }

        var parts = form["assertion"].ToString().Split('.');
        if (parts.Length != 3)
        {
            return Reject("assertion is not a JWT");
        }

        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        var signed = _key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!signed || header["alg"]?.GetValue<string>() != "RS256")
        {
            return Reject("bad signature");
        }

        // Google.Apis.Auth posts to the key's token_uri but always signs for Google's token audience.
        if (claims["iss"]?.GetValue<string>() != ClientEmail || claims["aud"]?.GetValue<string>() != GoogleTokenAudience)
        {
            return Reject($"iss {claims["iss"]} aud {claims["aud"]}");
        }

        LastScope = claims["scope"]?.GetValue<string>();
        var number = Interlocked.Increment(ref _issued);
        return Results.Json(new Dictionary<string, object> { ["access_token"] = $"ya29.test-token-{number}", ["expires_in"] = ExpiresInSeconds, ["token_type"] = "Bearer" });
    }

    private IResult Reject(string why)
    {
        LastRejection = why;
        return Results.Json(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = why }, statusCode: 400);
    }

    private static byte[] Base64Url(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
