using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>Where Gemini Live is reached.</summary>
internal enum GeminiBackend
{
    /// <summary>Gemini Developer API (AI Studio key).</summary>
    DeveloperApi = 1,

    /// <summary>Vertex AI: regional host, project/location model resource, OAuth bearer token (or express-mode key).</summary>
    Vertex = 2,

    /// <summary>The built-in emulator, hosted in-process.</summary>
    Emulator = 3,
}

/// <summary>The back end in force, and why (for the start-up log).</summary>
internal sealed record GeminiBackendChoice(GeminiBackend Backend, string Reason);

internal static class GeminiBackendResolver
{
    public static bool TryParse(string? value, out GeminiBackend? backend)
    {
        backend = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (Enum.TryParse<GeminiBackend>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            backend = parsed;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The explicit <c>Gemini:Backend</c>, else inferred from the credentials present; with none, the emulator in
    /// Development only. <see langword="null"/> when nothing applies (the validator then stops the start).
    /// </summary>
    public static GeminiBackendChoice? Resolve(GeminiOptions options, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (TryParse(options.Backend, out var backend) && backend is { } explicitBackend)
        {
            return new GeminiBackendChoice(explicitBackend, $"{GeminiOptions.Key(nameof(GeminiOptions.Backend))}={explicitBackend}");
        }

        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return new GeminiBackendChoice(GeminiBackend.DeveloperApi, $"{GeminiOptions.Key(nameof(GeminiOptions.ApiKey))} is set");
        }

        if (!string.IsNullOrWhiteSpace(options.Vertex.Project))
        {
            return new GeminiBackendChoice(GeminiBackend.Vertex, $"{GeminiOptions.Key("Vertex:Project")} is set");
        }

        return isDevelopment
            ? new GeminiBackendChoice(GeminiBackend.Emulator, "no Google credentials are configured and the environment is Development")
            : null;
    }
}
