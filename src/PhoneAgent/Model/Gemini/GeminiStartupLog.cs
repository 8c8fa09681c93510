namespace PhoneAgent.Model.Gemini;

/// <summary>Logs the Gemini back end in force at start (never a secret): which one, why, where, which model and what it may be sent.</summary>
internal sealed partial class GeminiStartupLog(GeminiLiveClient client, ILogger<GeminiStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var choice = client.Choice;
        if (choice.Backend == GeminiBackend.Emulator)
        {
            Log.UsingEmulator(logger, choice.Reason);
        }

        var locations = string.Join(", ", client.Endpoints.Locations.Where(l => l.Length > 0));
        Log.Backend(logger, choice.Backend, choice.Reason, client.Model, locations.Length == 0 ? "(n/a)" : locations, client.Capabilities);
        if (!client.IsKnownModel)
        {
            Log.UnknownModel(logger, client.Model, client.Capabilities);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(380, LogLevel.Information, "Gemini back end {Backend} ({Reason}); model {Model}; locations {Locations}; capabilities {Capabilities}", EventName = "GeminiBackend")]
        public static partial void Backend(ILogger logger, GeminiBackend backend, string reason, string model, string locations, GeminiModelCapabilities capabilities);

        [LoggerMessage(381, LogLevel.Warning, "Using the built-in Gemini Live emulator: {Reason}. Callers hear canned audio, not a real model", EventName = "GeminiUsingEmulator")]
        public static partial void UsingEmulator(ILogger logger, string reason);

        [LoggerMessage(382, LogLevel.Warning,
            "Model {Model} is not in the capability table; assuming {Capabilities}. Set Gemini:Models:{Model}:* to be explicit",
            EventName = "GeminiUnknownModel")]
        public static partial void UnknownModel(ILogger logger, string model, GeminiModelCapabilities capabilities);
    }
}
