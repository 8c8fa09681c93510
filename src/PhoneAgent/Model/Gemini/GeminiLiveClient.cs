using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// <see cref="IRealtimeModelClient"/> for Gemini Live: resolves the back end, model and capability row once from
/// <c>Gemini:*</c> options and opens <see cref="GeminiLiveSession"/>s that share the connect pipeline and token cache.
/// </summary>
internal sealed class GeminiLiveClient : IRealtimeModelClient
{
    private readonly GeminiSessionContext _context;
    private readonly GeminiOptions _options;
    private long _sessions;

    public GeminiLiveClient(
        IOptions<GeminiOptions> options,
        IHostEnvironment environment,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        Choice = GeminiBackendResolver.Resolve(_options, environment.IsDevelopment())
            ?? throw new InvalidOperationException("Gemini options were not validated: no back end applies.");
        Model = _options.Model ?? (Choice.Backend == GeminiBackend.Vertex ? GeminiOptions.DefaultVertexModel : GeminiOptions.DefaultDeveloperApiModel);
        Capabilities = GeminiModelCatalog.Resolve(Model, _options.Models, out var known);
        IsKnownModel = known;

        var tokens = Choice.Backend == GeminiBackend.Vertex ? services.GetService<IGeminiAccessTokenSource>() : null;
        var emulator = Choice.Backend == GeminiBackend.Emulator ? services.GetService<IGeminiEmulatorEndpoint>() : null;
        var endpoints = new GeminiEndpointResolver(Choice.Backend, _options, tokens, emulator);
        var defaults = new GeminiSessionDefaults(
            _options.AffectiveDialog,
            _options.ProactiveAudio,
            GeminiOptionsValidator.ParseThinking(_options.Thinking) ?? ModelThinking.Off,
            _options.CompressionTriggerTokens,
            _options.CompressionTargetTokens);
        var pipeline = GeminiReconnectPipeline.Create(_options.Reconnect, timeProvider, loggerFactory.CreateLogger(typeof(GeminiReconnectPipeline)));
        _context = new GeminiSessionContext(endpoints, _options, defaults, pipeline, timeProvider, loggerFactory);
    }

    public GeminiBackendChoice Choice { get; }

    public string Model { get; }

    public GeminiModelCapabilities Capabilities { get; }

    /// <summary>The model has a row in the built-in table or in <c>Gemini:Models</c>.</summary>
    public bool IsKnownModel { get; }

    internal GeminiEndpointResolver Endpoints => _context.Endpoints;

    public IRealtimeModelSession Open(ModelSessionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = config.Model ?? Model;
        var capabilities = model == Model ? Capabilities : GeminiModelCatalog.Resolve(model, _options.Models, out _);
        var id = $"ms-{Interlocked.Increment(ref _sessions)}-{Guid.NewGuid().ToString("N")[..8]}";
        var session = new GeminiLiveSession(id, config, model, capabilities, _context);
        session.Start();
        return session;
    }
}
