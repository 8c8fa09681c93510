namespace PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

/// <summary>An emulator on a free loopback port with test-friendly timings (50 ms reply latency, no setup delay, 8× send speed).</summary>
internal static class TestServer
{
    public static Task<EmulatorServer> StartAsync(EmulatorScenario? scenario = null, Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            ReplyLatency = TimeSpan.FromMilliseconds(50),
            SetupLatency = TimeSpan.Zero,
            ReplySpeedup = 8,
            EspeakPath = "",
        };
        if (scenario is not null)
        {
            options.Scenario = scenario;
        }

        configure?.Invoke(options);
        return EmulatorServer.StartAsync(options);
    }

    /// <summary>A scenario from JSON written inline in a test.</summary>
    public static EmulatorScenario Scenario(string json) => EmulatorScenario.Parse(json);
}
