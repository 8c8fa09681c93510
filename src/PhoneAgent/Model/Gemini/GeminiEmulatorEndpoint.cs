using Microsoft.Extensions.Options;
using PhoneAgent.GeminiLiveEmulator;
using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// <c>Gemini:Backend=Emulator</c>: hosts the Gemini Live emulator in-process (Kestrel on 127.0.0.1, port 0), started on
/// the first connect so a service that never takes a call never opens the port, and stopped with the host. The
/// scenario comes from <c>Gemini:Emulator:Scenario</c> (a file), else the emulator's default scenario.
/// </summary>
internal sealed partial class GeminiEmulatorEndpoint(IOptions<GeminiOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    : IGeminiEmulatorEndpoint, IAsyncDisposable
{
    private readonly SemaphoreSlim _start = new(1, 1);
    private readonly ILogger _logger = loggerFactory.CreateLogger<GeminiEmulatorEndpoint>();
    private EmulatorServer? _server;
    private bool _disposed;

    public async ValueTask<Uri> GetUriAsync(CancellationToken cancellationToken)
    {
        if (_server is { } running)
        {
            return running.BaseUri;
        }

        await _start.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_server is null)
            {
                var scenarioPath = options.Value.Emulator.Scenario;
                var emulatorOptions = new EmulatorOptions
                {
                    Scenario = scenarioPath is null ? EmulatorScenario.Default : EmulatorScenario.Load(scenarioPath),
                    TimeProvider = timeProvider,
                    LoggerFactory = loggerFactory,
                };
                _server = await EmulatorServer.StartAsync(emulatorOptions, cancellationToken);
                Log.Started(_logger, _server.BaseUri, emulatorOptions.Scenario.Name);
            }

            return _server.BaseUri;
        }
        finally
        {
            _start.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _start.WaitAsync();
        try
        {
            _disposed = true;
            if (_server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
        finally
        {
            _start.Release();
        }

        _start.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(383, LogLevel.Information, "In-process Gemini Live emulator listening on {BaseUri} (scenario {Scenario})", EventName = "GeminiEmulatorStarted")]
        public static partial void Started(ILogger logger, Uri baseUri, string scenario);
    }
}
