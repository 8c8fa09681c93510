using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Telephony;

/// <summary>
/// The URLs Twilio uses to reach this service, built from <c>PhoneAgent:PublicBaseUrl</c> and never from the request's
/// Host or forwarded headers (which an attacker or a proxy controls).
/// </summary>
/// <remarks>
/// <para>
/// The base may carry a port and a path prefix (<c>https://agent.example.com:8443/phone</c>); a trailing <c>/</c> is
/// dropped. The WebSocket base is the same URL with <c>https</c> → <c>wss</c>. A request's signed URL is the base +
/// the request's path (without any <c>PathBase</c>, which the base already holds) + its query string as received.
/// </para>
/// <para>
/// Development only, when no base is configured: the first address the server listens on (wildcard hosts become
/// 127.0.0.1), e.g. <c>http://127.0.0.1:5050</c> for <c>dotnet run</c>, else <c>http://localhost</c> (TestServer).
/// Then the stream URL is <c>ws://…</c>, which CallReplay can reach locally; Twilio itself always needs the https base.
/// Outside Development the base is required at start (see <see cref="TwilioOptionsValidator"/>).
/// </para>
/// </remarks>
internal sealed class TwilioPublicUrls(IOptions<PhoneAgentOptions> options, IServer server)
{
    private const string TestServerBase = "http://localhost";
    private readonly string? _configured = options.Value.PublicBaseUrl?.TrimEnd('/');
    private string? _derived;

    /// <summary>Whether the base comes from <c>PhoneAgent:PublicBaseUrl</c> (rather than derived for a local run).</summary>
    public bool IsConfigured => _configured is not null;

    /// <summary>The https (or, derived in Development, http) base without a trailing slash.</summary>
    public string BaseUrl => _configured ?? _derived ?? (_derived = DeriveLocalBase()) ?? TestServerBase;

    /// <summary>The WebSocket base: <see cref="BaseUrl"/> with https → wss (http → ws).</summary>
    public string WebSocketBaseUrl => ToWebSocket(BaseUrl);

    public string Http(string path) => BaseUrl + path;

    public string WebSocket(string path) => WebSocketBaseUrl + path;

    /// <summary>The URL Twilio signed for this request: base + path + query string exactly as received.</summary>
    public string ForRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BaseUrl + request.Path.ToUriComponent() + request.QueryString.Value;
    }

    /// <summary>The WebSocket URL Twilio signed for this upgrade request: wss base + path + query string as received.</summary>
    public string WebSocketForRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WebSocketBaseUrl + request.Path.ToUriComponent() + request.QueryString.Value;
    }

    internal static string ToWebSocket(string httpUrl) =>
        httpUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "wss:" + httpUrl[6..]
        : httpUrl.StartsWith("http:", StringComparison.OrdinalIgnoreCase) ? "ws:" + httpUrl[5..]
        : httpUrl;

    private string? DeriveLocalBase()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses?.FirstOrDefault();
        if (first is null || !Uri.TryCreate(first.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            // TestServer has no addresses; nothing is cached, a real server may report them once started.
            return null;
        }

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}".ToLowerInvariant();
    }
}
