using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// The standalone emulator for demos, docker-compose and load tests:
/// <c>dotnet run --project src/GeminiLiveEmulator -- --urls http://127.0.0.1:PORT [--scenario FILE]</c>.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Gemini Live emulator: Google's BidiGenerateContent WebSocket protocol on your machine.

        Usage: GeminiLiveEmulator [options]
          --urls URLS                      listen addresses, ';'-separated (default http://127.0.0.1:8080)
          --scenario FILE|NAME             scenario JSON file, or a shipped example: EXAMPLES
          --api-key KEY                    require this API key (x-goog-api-key or ?key=)
          --access-token TOKEN             require this Vertex bearer token
          --reply-latency-ms MS            end of caller turn -> first reply frame (default 600)
          --setup-latency-ms MS            setup -> setupComplete (default 200)
          --test-mode                      replies are per-turn tones (turn tags)
          --refuse-resume-while-old-open   close 1007 when a resume arrives while the old connection is open
          --text-frames                    send server frames as text (the service sends binary)
          --log-level LEVEL                Trace, Debug (every audio chunk), Information (default), Warning
          --healthcheck                    probe the emulator at --urls on loopback and exit 0 (up) or 1 (the
                                           container health check: runtime images have no curl)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.WriteLine(Usage.Replace("EXAMPLES", string.Join(", ", EmulatorScenario.ExampleNames), StringComparison.Ordinal));
            return 0;
        }

        ProgramArguments arguments;
        try
        {
            arguments = ProgramArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message} (see --help)");
            return 2;
        }

        if (arguments.HealthCheck)
        {
            return await EmulatorHealthCheck.RunAsync(arguments.Urls, Console.Out, Console.Error);
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(arguments.LogLevel)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }));
        EmulatorOptions options;
        try
        {
            options = arguments.ToOptions(loggerFactory);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

        await using var server = await EmulatorServer.StartAsync(options);
        Console.WriteLine($"Gemini Live emulator on {server.BaseUri} (scenario \"{options.Scenario.Name}\")");
        Console.WriteLine($"  Developer API: {server.DeveloperApiUri}");
        Console.WriteLine($"  Vertex AI:     {server.VertexUri}");
        Console.WriteLine("Press Ctrl+C to stop.");
        await server.WaitForShutdownAsync(stop.Token);
        return 0;
    }
}
