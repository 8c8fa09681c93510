using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>Where and how one connection attempt connects. ⚠️ <see cref="Headers"/> hold secrets; log <see cref="LogUri"/> only.</summary>
internal sealed record GeminiConnectTarget(Uri Uri, string ModelResource, string? Location, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The URL without query (an endpoint override may carry <c>?key=</c>).</summary>
    public string LogUri => Uri.GetLeftPart(UriPartial.Path);

    public override string ToString() => $"GeminiConnectTarget({LogUri}, {ModelResource})";
}

/// <summary>Gives the in-process emulator's WebSocket URL, starting it on first use.</summary>
internal interface IGeminiEmulatorEndpoint
{
    ValueTask<Uri> GetUriAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Builds the URL, auth headers and setup <c>model</c> per back end (shared/protocols/gemini-live.md, section 1):
/// <list type="bullet">
/// <item>Developer API: <c>wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.{v1beta|v1alpha}.GenerativeService.BidiGenerateContent</c>,
/// <c>x-goog-api-key</c> header (keeps the key out of URLs and logs), model <c>models/M</c>; v1alpha only when affective
/// dialog or proactive audio is actually sent.</item>
/// <item>Vertex: <c>wss://{L}-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent</c>
/// (<c>global</c> → <c>aiplatform.googleapis.com</c>, <c>us</c>/<c>eu</c> → <c>aiplatform.{us|eu}.rep.googleapis.com</c>),
/// <c>Authorization: Bearer</c>, model <c>projects/P/locations/L/publishers/google/models/M</c>; express mode (API key,
/// no project): global host, <c>x-goog-api-key</c>, model <c>publishers/google/models/M</c>.</item>
/// <item>Emulator: the in-process emulator's Developer API URL.</item>
/// </list>
/// <c>Gemini:Endpoint</c> replaces scheme, host and port (and the path, when it has one) for any back end; a
/// <c>{location}</c> in it is replaced by the Vertex region being tried.
/// </summary>
internal sealed class GeminiEndpointResolver
{
    public const string DeveloperApiHost = "generativelanguage.googleapis.com";
    public const string VertexApiVersion = "v1beta1";

    private readonly GeminiBackend _backend;
    private readonly GeminiOptions _options;
    private readonly IGeminiAccessTokenSource? _tokens;
    private readonly IGeminiEmulatorEndpoint? _emulator;

    public GeminiEndpointResolver(GeminiBackend backend, GeminiOptions options, IGeminiAccessTokenSource? tokens, IGeminiEmulatorEndpoint? emulator)
    {
        _backend = backend;
        _options = options;
        _tokens = tokens;
        _emulator = emulator;
        Locations = backend == GeminiBackend.Vertex && !IsVertexExpress
            ? [.. new[] { options.Vertex.Location }.Concat(options.Vertex.FallbackLocations).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)]
            : [""];
    }

    public GeminiBackend Backend => _backend;

    /// <summary>Vertex regions in fail-over order (one empty entry for the other back ends).</summary>
    public IReadOnlyList<string> Locations { get; }

    private bool IsVertexExpress => string.IsNullOrWhiteSpace(_options.Vertex.Project) && !string.IsNullOrWhiteSpace(_options.ApiKey);

    public string ModelResource(string model, int locationIndex) => _backend switch
    {
        GeminiBackend.Vertex when IsVertexExpress => $"publishers/google/models/{model}",
        GeminiBackend.Vertex => $"projects/{_options.Vertex.Project}/locations/{Locations[locationIndex % Locations.Count]}/publishers/google/models/{model}",
        _ => $"models/{model}",
    };

    /// <param name="model">Model id.</param>
    /// <param name="locationIndex">Index into <see cref="Locations"/> (wraps around).</param>
    /// <param name="previewFeatures">Affective dialog or proactive audio is sent (Developer API: v1alpha).</param>
    /// <param name="cancellationToken">Cancels token acquisition.</param>
    public async ValueTask<GeminiConnectTarget> ResolveAsync(string model, int locationIndex, bool previewFeatures, CancellationToken cancellationToken)
    {
        var location = Locations[locationIndex % Locations.Count];
        var headers = new List<KeyValuePair<string, string>>(1);
        Uri uri;
        switch (_backend)
        {
            case GeminiBackend.Vertex:
                var host = IsVertexExpress ? VertexHost("global") : VertexHost(location);
                uri = new Uri($"wss://{host}{VertexPath}");
                if (IsVertexExpress)
                {
                    headers.Add(new("x-goog-api-key", _options.ApiKey!));
                }
                else
                {
                    var tokens = _tokens ?? throw new InvalidOperationException("Vertex AI needs an access token source.");
                    headers.Add(new("Authorization", "Bearer " + await tokens.GetTokenAsync(cancellationToken)));
                }

                break;
            case GeminiBackend.Emulator:
                var emulator = _emulator ?? throw new InvalidOperationException("The in-process emulator is not registered.");
                uri = WithDefaultPath(await emulator.GetUriAsync(cancellationToken), DeveloperApiPath(previewFeatures));
                headers.Add(new("x-goog-api-key", _options.ApiKey ?? "emulator"));
                break;
            default:
                uri = new Uri($"wss://{DeveloperApiHost}{DeveloperApiPath(previewFeatures)}");
                if (_options.ApiKey is { } key)
                {
                    headers.Add(new("x-goog-api-key", key));
                }

                break;
        }

        if (_options.Endpoint is { } endpoint)
        {
            // "{location}" lets one override serve every region (regional proxies, tests of the fail-over).
            uri = Override(uri, new Uri(endpoint.Replace("{location}", location, StringComparison.OrdinalIgnoreCase), UriKind.Absolute));
        }

        return new GeminiConnectTarget(uri, ModelResource(model, locationIndex), _backend == GeminiBackend.Vertex ? location : null, headers);
    }

    public static string DeveloperApiPath(bool v1alpha) =>
        $"/ws/google.ai.generativelanguage.{(v1alpha ? "v1alpha" : "v1beta")}.GenerativeService.BidiGenerateContent";

    public const string VertexPath = $"/ws/google.cloud.aiplatform.{VertexApiVersion}.LlmBidiService/BidiGenerateContent";

    /// <summary>Regional host; <c>global</c> has no prefix; multi-regions use the <c>rep</c> hosts.</summary>
    public static string VertexHost(string location) => location.ToLowerInvariant() switch
    {
        "global" => "aiplatform.googleapis.com",
        "us" or "eu" => $"aiplatform.{location.ToLowerInvariant()}.rep.googleapis.com",
        _ => $"{location}-aiplatform.googleapis.com",
    };

    /// <summary>The override's scheme (http → ws, https → wss), host and port; its path and query when it has a path.</summary>
    internal static Uri Override(Uri standard, Uri endpoint)
    {
        var builder = new UriBuilder(endpoint)
        {
            Scheme = endpoint.Scheme.ToLowerInvariant() switch
            {
                "http" or "ws" => "ws",
                _ => "wss",
            },
        };
        if (endpoint.AbsolutePath is "" or "/")
        {
            builder.Path = standard.AbsolutePath;
        }

        if (endpoint.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    private static Uri WithDefaultPath(Uri uri, string path) => uri.AbsolutePath is "" or "/" ? Override(new Uri("wss://x" + path), uri) : uri;
}
