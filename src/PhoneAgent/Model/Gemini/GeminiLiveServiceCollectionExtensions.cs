using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

internal static class GeminiLiveServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Gemini Live client behind <see cref="IRealtimeModelClient"/>, the session pre-warmer, Vertex token
    /// caching and the in-process emulator (<c>Gemini:Backend=Emulator</c>), and validates <c>Gemini:*</c> at start.
    /// Everything is <c>TryAdd</c>, so tests can swap any part.
    /// </summary>
    public static IServiceCollection AddGeminiLive(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<GeminiOptions>()
            .BindConfiguration(GeminiOptions.SectionName)
            .PostConfigure<IConfiguration>(static (o, configuration) => Normalize(o, configuration))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GeminiOptions>, GeminiOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGoogleTokenFetcher>(static sp => new GoogleCredentialTokenFetcher(
            sp.GetRequiredService<IOptions<GeminiOptions>>().Value.Vertex.CredentialsFile, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IGeminiAccessTokenSource>(static sp => new VertexAccessTokenCache(
            sp.GetRequiredService<IGoogleTokenFetcher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<GeminiOptions>>().Value.Vertex.TokenRefreshAhead,
            sp.GetRequiredService<ILogger<VertexAccessTokenCache>>()));
        services.TryAddSingleton<IGeminiEmulatorEndpoint, GeminiEmulatorEndpoint>();
        services.TryAddSingleton<GeminiLiveClient>();
        services.TryAddSingleton<IRealtimeModelClient>(static sp => sp.GetRequiredService<GeminiLiveClient>());
        services.TryAddSingleton<IModelSessionPrewarmer>(static sp => new ModelSessionPrewarmer(
            sp.GetRequiredService<IRealtimeModelClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<GeminiOptions>>().Value.PrewarmTimeout,
            sp.GetRequiredService<ILogger<ModelSessionPrewarmer>>()));
        services.AddHostedService<GeminiStartupLog>();
        return services;
    }

    /// <summary>Blank values are "not set"; <c>FallbackLocations</c> may also be one comma-separated value.</summary>
    private static void Normalize(GeminiOptions options, IConfiguration configuration)
    {
        options.ApiKey = Blank(options.ApiKey);
        options.Backend = Blank(options.Backend);
        options.Endpoint = Blank(options.Endpoint);
        options.Model = Blank(options.Model);
        options.Vertex.Project = Blank(options.Vertex.Project);
        options.Vertex.CredentialsFile = Blank(options.Vertex.CredentialsFile);
        options.Emulator.Scenario = Blank(options.Emulator.Scenario);
        options.Vertex.Location = options.Vertex.Location?.Trim() ?? "";

        var scalar = configuration[$"{GeminiOptions.SectionName}:Vertex:FallbackLocations"];
        var all = options.Vertex.FallbackLocations.Append(scalar ?? "")
            .SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        options.Vertex.FallbackLocations = all;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
