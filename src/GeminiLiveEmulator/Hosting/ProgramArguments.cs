using System.Globalization;

namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>The standalone program's command line (no configuration files: see the csproj for why).</summary>
internal sealed record ProgramArguments
{
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    public string? Scenario { get; init; }

    public string? ApiKey { get; init; }

    public string? AccessToken { get; init; }

    public int? ReplyLatencyMs { get; init; }

    public int? SetupLatencyMs { get; init; }

    public bool TestMode { get; init; }

    public bool RefuseResumeWhileOldOpen { get; init; }

    public bool TextFrames { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>--healthcheck</c>: probe a running emulator at the first of <see cref="Urls"/> instead of starting one.</summary>
    public bool HealthCheck { get; init; }

    /// <exception cref="ArgumentException">An unknown option or a bad value.</exception>
    public static ProgramArguments Parse(IReadOnlyList<string> args)
    {
        var result = new ProgramArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value"));
            result = name switch
            {
                "--urls" => result with { Urls = Value().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--scenario" => result with { Scenario = Value() },
                "--api-key" => result with { ApiKey = Value() },
                "--access-token" => result with { AccessToken = Value() },
                "--reply-latency-ms" => result with { ReplyLatencyMs = Number(name, Value()) },
                "--setup-latency-ms" => result with { SetupLatencyMs = Number(name, Value()) },
                "--test-mode" => result with { TestMode = true },
                "--refuse-resume-while-old-open" => result with { RefuseResumeWhileOldOpen = true },
                "--text-frames" => result with { TextFrames = true },
                "--healthcheck" => result with { HealthCheck = true },
                "--log-level" => result with { LogLevel = Enum.TryParse<LogLevel>(Value(), ignoreCase: true, out var level) ? level : throw new ArgumentException($"{name}: unknown level") },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return result;
    }

    public EmulatorOptions ToOptions(ILoggerFactory loggerFactory)
    {
        var options = new EmulatorOptions
        {
            Scenario = Scenario is null ? EmulatorScenario.Default
                : File.Exists(Scenario) || Scenario.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? EmulatorScenario.Load(Scenario)
                : EmulatorScenario.LoadExample(Scenario),
            LoggerFactory = loggerFactory,
            ApiKey = ApiKey,
            AccessToken = AccessToken,
            TestMode = TestMode,
            RefuseResumeWhileOldOpen = RefuseResumeWhileOldOpen,
            TextFrames = TextFrames,
            // Nothing reads a standalone emulator's in-memory session logs (they are for in-process tests); the
            // logger still gets every line. Keeping them cost long GC pauses under load (EmulatorOptions.MaxLogEntriesPerSession).
            MaxRetainedSessions = 0,
            MaxLogEntriesPerSession = 0,
        };
        if (ReplyLatencyMs is { } reply)
        {
            options.ReplyLatency = TimeSpan.FromMilliseconds(reply);
        }

        if (SetupLatencyMs is { } setup)
        {
            options.SetupLatency = TimeSpan.FromMilliseconds(setup);
        }

        options.Urls.Clear();
        foreach (var url in Urls)
        {
            options.Urls.Add(url);
        }

        return options;
    }

    private static int Number(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw new ArgumentException($"{name}: not a number: {value}");
}
