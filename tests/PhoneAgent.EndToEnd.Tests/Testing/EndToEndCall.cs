using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.AudioCodec;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.Calls;
using PhoneAgent.GeminiLiveEmulator;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>One end-to-end set-up: the emulator with a scenario (test mode: every reply is its turn's tag tone), PhoneAgent pointed at it, and CallReplay.</summary>
public sealed class EndToEndCall : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("phoneagent-e2e-").FullName;
    private int _warmSessions;

    private EndToEndCall(EmulatorServer emulator, PhoneAgentServer server)
    {
        Emulator = emulator;
        Server = server;
        Measurements = new BridgeMeasurements(server.Services.GetRequiredService<IMeterFactory>());
    }

    public EmulatorServer Emulator { get; }

    public PhoneAgentServer Server { get; }

    public BridgeMeasurements Measurements { get; }

    public static async Task<EndToEndCall> StartAsync(
        string scenarioJson,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string? profileJson = null)
    {
        var emulator = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            Scenario = EmulatorScenario.Parse(scenarioJson),
            TestMode = true,
            ReplyLatency = TimeSpan.FromMilliseconds(200),
            SetupLatency = TimeSpan.FromMilliseconds(50),
            EspeakPath = "",
        });
        var all = new Dictionary<string, string?>
        {
            ["Gemini:Backend"] = "DeveloperApi",
            ["Gemini:ApiKey"] = "end-to-end",
            ["Gemini:Endpoint"] = emulator.DeveloperApiUri.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        if (profileJson is not null)
        {
            // The shipped folder (after-hours, knowledge articles) with this test's customer-support in it.
            var profiles = Directory.CreateTempSubdirectory("phoneagent-e2e-profiles-").FullName;
            CopyFolder(ShippedProfiles, profiles);
            await File.WriteAllTextAsync(Path.Combine(profiles, "customer-support.json"), profileJson);
            all["PhoneAgent:ProfilesPath"] = profiles;
        }

        var server = new PhoneAgentServer(all, services);
        _ = server.Address;
        return new EndToEndCall(emulator, server);
    }

    /// <summary>The profiles folder PhoneAgent ships (copied next to the test binaries).</summary>
    public static string ShippedProfiles => Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>The shipped profile with <paramref name="enabledTools"/>.</summary>
    public static string ProfileWithTools(params string[] enabledTools) =>
        Profile(p => p["tools"]!["enabled"] = new JsonArray([.. enabledTools.Select(t => JsonValue.Create(t))]));

    /// <summary>The shipped <c>customer-support</c> profile, changed by <paramref name="edit"/>.</summary>
    public static string Profile(Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var profile = JsonNode.Parse(
            File.ReadAllText(Path.Combine(ShippedProfiles, "customer-support.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        edit(profile);
        return profile.ToJsonString();
    }

    /// <summary>One of the server's services (stores, catalog), for checking what a call left behind.</summary>
    public T Get<T>()
        where T : notnull => Server.Services.GetRequiredService<T>();

    public Task<CallResult> CallAsync(RecordedCall recording, Func<FakeTwilioCallerOptions, FakeTwilioCallerOptions>? configure = null)
    {
        var options = Server.CallerOptions();
        return new FakeTwilioCaller(configure?.Invoke(options) ?? options).CallAsync(recording);
    }

    /// <summary>
    /// A short call first (the caller talks over the greeting, so the barge-in path runs too), so the timed call runs
    /// warm (JIT, connection pools): its timing is then stable to a few ms.
    /// </summary>
    public async Task WarmUpAsync()
    {
        await CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(1.2), (0.45, 1.2, "warm-up")), o => o with { MaxDuration = TimeSpan.FromSeconds(1.8) });
        _warmSessions = Emulator.Sessions.Count;
    }

    /// <summary>Emulator connections of the calls after the warm-up.</summary>
    public IReadOnlyList<EmulatorSessionLog> Sessions => [.. Emulator.Sessions.Skip(_warmSessions)];

    internal ValueTask<CallRecord?> RecordAsync(string callSid) => Server.Services.GetRequiredService<ICallStore>().FindAsync(callSid, default);

    /// <summary>What the caller heard of each agent turn, as the emulator's turn tag (null for silence or mixed audio).</summary>
    public static IReadOnlyList<int?> HeardTags(CallResult result) =>
        [.. result.AgentTurns.Select(turn => TagOf(result, turn.Start, turn.End))];

    public static int? TagOf(CallResult result, TimeSpan from, TimeSpan to)
    {
        var heard = result.Heard.Span;
        var start = Math.Clamp((int)(from.TotalSeconds * 8000), 0, heard.Length);
        var end = Math.Clamp((int)(to.TotalSeconds * 8000), start, heard.Length);
        var samples = new short[end - start];
        MuLaw.Decode(heard[start..end], samples);
        return EmulatorTurnTag.Detect(samples, 8000);
    }

    /// <summary>Everything the emulator received or noted, as text (for "did the model get X").</summary>
    public string EmulatorLog() => string.Join(Environment.NewLine, Sessions.SelectMany(s => s.Entries).Select(e => e.ToString()));

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Measurements.Dispose();
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
