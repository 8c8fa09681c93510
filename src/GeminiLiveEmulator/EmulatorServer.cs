using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// A running Gemini Live emulator on real sockets (Kestrel). Start one in-process with <see cref="StartAsync"/> (port 0
/// by default), point a client at <see cref="DeveloperApiUri"/> or <see cref="VertexUri"/>, and read what happened
/// in <see cref="Sessions"/>. Dispose to stop it: open sessions close with 1011.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorRuntime _runtime;
    private int _disposed;

    private EmulatorServer(WebApplication app, EmulatorRuntime runtime, Uri baseUri)
    {
        _app = app;
        _runtime = runtime;
        BaseUri = baseUri;
    }

    /// <summary><c>http://127.0.0.1:PORT</c> (a wildcard listen address is reported as 127.0.0.1).</summary>
    public Uri BaseUri { get; }

    /// <summary>The Developer API endpoint (v1beta): <c>ws://…/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent</c>.</summary>
    public Uri DeveloperApiUri => GetDeveloperApiUri();

    /// <summary>The Vertex AI endpoint (v1beta1): <c>ws://…/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent</c>.</summary>
    public Uri VertexUri => GetVertexUri();

    public EmulatorOptions Options => _runtime.Options;

    /// <summary>Every connection so far (up to <see cref="EmulatorOptions.MaxRetainedSessions"/>), oldest first.</summary>
    public IReadOnlyList<EmulatorSessionLog> Sessions => _runtime.Sessions.Snapshot();

    /// <summary>Starts the emulator on <see cref="EmulatorOptions.Urls"/>.</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var runtime = new EmulatorRuntime(options);
        var app = EmulatorApp.Build(options, runtime);
        runtime.Stopping = app.Lifetime.ApplicationStopping;
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The emulator started without a listen address.");
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        return new EmulatorServer(app, runtime, new Uri(uri.Uri.GetLeftPart(UriPartial.Authority)));
    }

    /// <summary>The Developer API endpoint for <paramref name="version"/> (v1, v1beta, v1alpha), optionally the Constrained one.</summary>
    public Uri GetDeveloperApiUri(string version = "v1beta", bool constrained = false) =>
        WebSocketUri(new LiveEndpoint(EmulatorBackend.DeveloperApi, version, constrained));

    /// <summary>The Vertex AI endpoint for <paramref name="version"/> (v1, v1beta1).</summary>
    public Uri GetVertexUri(string version = "v1beta1") => WebSocketUri(new LiveEndpoint(EmulatorBackend.Vertex, version, false));

    /// <summary>Completes when the server stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Uri WebSocketUri(LiveEndpoint endpoint)
    {
        if (!LiveEndpoint.All.Contains(endpoint))
        {
            throw new ArgumentException($"The emulator does not serve {endpoint.Backend} {endpoint.Version}.", nameof(endpoint));
        }

        var builder = new UriBuilder(BaseUri) { Scheme = BaseUri.Scheme == "https" ? "wss" : "ws", Path = endpoint.Path };
        return builder.Uri;
    }
}
