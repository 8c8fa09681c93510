using Microsoft.Extensions.Options;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;

namespace PhoneAgent.Options;

/// <summary>Validates <see cref="GeminiOptions"/> at start; every message names the configuration key. Secrets never appear in messages.</summary>
internal sealed class GeminiOptionsValidator(IHostEnvironment environment) : IValidateOptions<GeminiOptions>
{
    public ValidateOptionsResult Validate(string? name, GeminiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var backendKey = GeminiOptions.Key(nameof(GeminiOptions.Backend));

        if (!GeminiBackendResolver.TryParse(options.Backend, out _))
        {
            errors.Add($"{backendKey} must be one of Vertex, DeveloperApi, Emulator (got '{options.Backend}').");
        }
        else
        {
            var choice = GeminiBackendResolver.Resolve(options, environment.IsDevelopment());
            if (choice is null)
            {
                errors.Add(
                    $"No Google credentials are configured and the environment is {environment.EnvironmentName}, so the service would answer callers with the emulator. " +
                    $"Set {GeminiOptions.Key(nameof(GeminiOptions.ApiKey))} (Gemini Developer API), or {GeminiOptions.Key("Vertex:Project")} and {GeminiOptions.Key("Vertex:Location")} " +
                    $"(Vertex AI, credentials from {GeminiOptions.Key("Vertex:CredentialsFile")} or application-default credentials), or set {backendKey}=Emulator explicitly.");
            }
            else
            {
                ValidateBackend(choice.Backend, options, errors);
            }
        }

        if (options.Endpoint is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss" or "http" or "https") || !string.IsNullOrEmpty(uri.Fragment)))
        {
            errors.Add($"{GeminiOptions.Key(nameof(GeminiOptions.Endpoint))} must be an absolute ws, wss, http or https URL, e.g. ws://127.0.0.1:8080 (got '{RedactQuery(endpoint)}').");
        }

        if (options.Model is { } model && (string.IsNullOrWhiteSpace(model) || model.Contains('/', StringComparison.Ordinal)))
        {
            errors.Add($"{GeminiOptions.Key(nameof(GeminiOptions.Model))} must be a bare model id such as {GeminiOptions.DefaultDeveloperApiModel}, without 'models/' or a project path (got '{model}').");
        }

        if (ParseThinking(options.Thinking) is null)
        {
            errors.Add($"{GeminiOptions.Key(nameof(GeminiOptions.Thinking))} must be one of off, minimal, low, medium, high, dynamic (got '{options.Thinking}').");
        }

        if (options.CompressionTriggerTokens < 0 || (options.CompressionTriggerTokens > 0 && (options.CompressionTargetTokens <= 0 || options.CompressionTargetTokens >= options.CompressionTriggerTokens)))
        {
            errors.Add($"{GeminiOptions.Key(nameof(GeminiOptions.CompressionTargetTokens))} must be positive and less than {GeminiOptions.Key(nameof(GeminiOptions.CompressionTriggerTokens))} (0 turns compression off); got {options.CompressionTargetTokens} and {options.CompressionTriggerTokens}.");
        }

        Range(errors, nameof(GeminiOptions.ConnectTimeout), options.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        Range(errors, nameof(GeminiOptions.MaxPendingInputAudio), options.MaxPendingInputAudio, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2));
        Range(errors, nameof(GeminiOptions.MaxBufferedOutputAudio), options.MaxBufferedOutputAudio, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Range(errors, nameof(GeminiOptions.GoAwayMargin), options.GoAwayMargin, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Range(errors, nameof(GeminiOptions.PrewarmTimeout), options.PrewarmTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        Range(errors, nameof(GeminiOptions.CloseTimeout), options.CloseTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        Range(errors, "Reconnect:BaseDelay", options.Reconnect.BaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Range(errors, "Reconnect:MaxDelay", options.Reconnect.MaxDelay, options.Reconnect.BaseDelay, TimeSpan.FromMinutes(5));
        Range(errors, "Reconnect:TotalTimeout", options.Reconnect.TotalTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (options.Reconnect.MaxRetries is < 0 or > 20)
        {
            errors.Add($"{GeminiOptions.Key("Reconnect:MaxRetries")} must be between 0 and 20 (got {options.Reconnect.MaxRetries}).");
        }

        foreach (var (modelName, row) in options.Models)
        {
            if (row?.Thinking is { } thinking && GeminiModelCatalog.ParseThinking(thinking) is null)
            {
                errors.Add($"{GeminiOptions.Key($"Models:{modelName}:Thinking")} must be Budget, Level or None (got '{thinking}').");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateBackend(GeminiBackend backend, GeminiOptions options, List<string> errors)
    {
        switch (backend)
        {
            case GeminiBackend.DeveloperApi when options.ApiKey is null && options.Endpoint is null:
                errors.Add($"{GeminiOptions.Key(nameof(GeminiOptions.ApiKey))} is required for {GeminiOptions.Key(nameof(GeminiOptions.Backend))}=DeveloperApi (or set {GeminiOptions.Key(nameof(GeminiOptions.Endpoint))} to reach a server that needs no key).");
                break;
            case GeminiBackend.Vertex:
                if (options.Vertex.Project is null && options.ApiKey is null)
                {
                    errors.Add($"{GeminiOptions.Key("Vertex:Project")} is required for {GeminiOptions.Key(nameof(GeminiOptions.Backend))}=Vertex (or set {GeminiOptions.Key(nameof(GeminiOptions.ApiKey))} for Vertex express mode).");
                }

                foreach (var location in options.Vertex.FallbackLocations.Prepend(options.Vertex.Location))
                {
                    if (string.IsNullOrWhiteSpace(location) || !location.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                    {
                        errors.Add($"{GeminiOptions.Key("Vertex:Location")} and {GeminiOptions.Key("Vertex:FallbackLocations")} must be region names such as us-central1, global, us or eu (got '{location}').");
                    }
                }

                if (options.Vertex.CredentialsFile is { } file && !File.Exists(file))
                {
                    errors.Add($"{GeminiOptions.Key("Vertex:CredentialsFile")}: file '{file}' was not found.");
                }

                if (options.Vertex.TokenRefreshAhead < VertexAccessTokenCache.MinimumValidity)
                {
                    errors.Add($"{GeminiOptions.Key("Vertex:TokenRefreshAhead")} must be at least {VertexAccessTokenCache.MinimumValidity} (got {options.Vertex.TokenRefreshAhead}).");
                }

                break;
            case GeminiBackend.Emulator when options.Emulator.Scenario is { } scenario && !File.Exists(scenario):
                errors.Add($"{GeminiOptions.Key("Emulator:Scenario")}: file '{scenario}' was not found.");
                break;
        }
    }

    /// <summary><c>off</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>, <c>dynamic</c> (case-insensitive).</summary>
    public static ModelThinking? ParseThinking(string? value) =>
        Enum.TryParse<ModelThinking>(value?.Trim(), ignoreCase: true, out var thinking) && Enum.IsDefined(thinking) && !int.TryParse(value, out _) ? thinking : null;

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{GeminiOptions.Key(key)} must be between {min} and {max} (got {value}).");
        }
    }

    /// <summary>An endpoint may carry <c>?key=</c>: never echo a query string.</summary>
    private static string RedactQuery(string url)
    {
        var at = url.IndexOf('?', StringComparison.Ordinal);
        return at < 0 ? url : url[..at] + "?…";
    }
}
