using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.EndToEnd.Tests.Testing;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// The single-call figures for the performance note (not a CI gate: timings on a shared machine vary). Run with
/// <c>PHONEAGENT_MEASURE=1 dotnet test tests/PhoneAgent.EndToEnd.Tests -c Release --filter Measurement --logger "console;verbosity=detailed"</c>:
/// after a warm-up call, one call of <c>samples/barge-in.wav</c> (the caller talks over the greeting, then asks a
/// question) against the emulator's default scenario (real speech); prints each bridge step's p50/p99 from the
/// server's own histograms, <c>interrupted</c> → <c>clear</c>, and CallReplay's end of speech → first agent audio.
/// </summary>
[Collection(RealTimeCalls.Name)]
public sealed class MeasurementTests(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task Single_call_figures()
    {
        await using var e2e = await EndToEndCall.StartAsync("""{ "name": "measure", "turns": [ { "reply": { "clip": "greeting" } } ], "otherwise": [ { "clip": "generic-1" }, { "clip": "generic-2" } ] }""");
        await e2e.WarmUpAsync();
        e2e.Measurements.Clear();

        var recording = RecordedCall.Load(Path.Combine(RepositoryRoot(), "samples", "barge-in.wav"));
        var result = await e2e.CallAsync(recording, o => o with { HangupAfter = TimeSpan.FromSeconds(2) });

        output.WriteLine($"call: {result.EndReason}, {result.Duration.TotalSeconds:0.0} s, agent turns {result.AgentTurns.Count}, barge-ins {result.Measurements.BargeIns.Count}, clears {result.Measurements.Clears}");
        output.WriteLine(e2e.Measurements.Report());
        foreach (var response in result.Measurements.Responses)
        {
            output.WriteLine($"end of speech → first agent audio, utterance {response.Utterance} (\"{response.Text}\"): {response.Latency?.TotalMilliseconds:0} ms");
        }

        foreach (var bargeIn in result.Measurements.BargeIns)
        {
            output.WriteLine($"barge-in: caller speech start → agent audio stops: {bargeIn.Latency.TotalMilliseconds:0} ms (stopped: {bargeIn.Stopped})");
        }

        output.WriteLine($"max audio queued at Twilio: {result.Measurements.MaxOutboundBuffer.TotalMilliseconds:0} ms; underruns {result.Measurements.Underruns.Count}");
        Assert.NotEmpty(e2e.Measurements.Values("caller_frame_to_model"));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PhoneAgent.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("PhoneAgent.sln not found above the test binaries.");
    }

    /// <summary>Runs only with <c>PHONEAGENT_MEASURE=1</c>.</summary>
    private sealed class MeasurementFactAttribute : FactAttribute
    {
        public MeasurementFactAttribute()
        {
            if (Environment.GetEnvironmentVariable("PHONEAGENT_MEASURE") != "1")
            {
                Skip = "Set PHONEAGENT_MEASURE=1 to measure.";
            }
        }
    }
}
