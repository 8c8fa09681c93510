using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Scenarios;

namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// A scripted conversation (JSON; format in the project README): the answer to each caller turn, tool calls, goAway
/// and faults. Turns beyond <see cref="Turns"/> are answered with <see cref="Otherwise"/> in rotation.
/// </summary>
public sealed class EmulatorScenario
{
    private static readonly string[] GenericClips = ["generic-1", "generic-2", "generic-3"];

    public string Name { get; set; } = "unnamed";

    public string? Description { get; set; }

    public IReadOnlyList<ScenarioTurn> Turns { get; set; } = [];

    /// <summary>Answers for turns after <see cref="Turns"/>, in rotation; empty means the shipped generic clips.</summary>
    public IReadOnlyList<ScenarioReply> Otherwise { get; set; } = [];

    /// <summary>Input transcription for a caller turn whose <see cref="ScenarioTurn.Caller"/> is not set.</summary>
    public string UnscriptedCaller { get; set; } = "(unscripted caller speech)";

    public ScenarioGoAway? GoAway { get; set; }

    public IReadOnlyList<ScenarioFault> Faults { get; set; } = [];

    /// <summary>
    /// Text turns that ask for quoted words to be said exactly (PhoneAgent's greeting trigger with the AI disclosure)
    /// are answered with those words instead of the scripted reply, as the real model would. Off by default so
    /// scripted tests keep their exact clips; the default demo scenario turns it on.
    /// </summary>
    public bool FollowQuotedInstructions { get; set; }

    /// <summary>Answers every turn: a greeting first, then generic replies. Works with any caller audio.</summary>
    public static EmulatorScenario Default => LoadExample("default");

    /// <summary>The example scenarios shipped with the emulator (<c>scenarios/*.json</c>).</summary>
    public static IReadOnlyList<string> ExampleNames { get; } =
        [.. typeof(EmulatorScenario).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("scenarios/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n["scenarios/".Length..^".json".Length])
            .Order(StringComparer.Ordinal)];

    public static EmulatorScenario LoadExample(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var stream = typeof(EmulatorScenario).Assembly.GetManifestResourceStream($"scenarios/{name}.json")
            ?? throw new ArgumentException($"No example scenario \"{name}\" (examples: {string.Join(", ", ExampleNames)}).", nameof(name));
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), baseDirectory: null, source: $"scenarios/{name}.json");
    }

    /// <summary>Reads and checks a scenario file; WAV paths in it are relative to the file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid scenario (the message names the field).</exception>
    public static EmulatorScenario Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return Parse(File.ReadAllText(fullPath), Path.GetDirectoryName(fullPath), fullPath);
    }

    /// <summary>Parses and checks scenario JSON.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a valid scenario (the message names the field).</exception>
    public static EmulatorScenario Parse(string json, string? baseDirectory = null) => Parse(json, baseDirectory, "scenario");

    private static EmulatorScenario Parse(string json, string? baseDirectory, string source)
    {
        EmulatorScenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.EmulatorScenario);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        if (scenario is null)
        {
            throw new InvalidDataException($"{source}: the scenario is null.");
        }

        ScenarioValidator.Validate(scenario, baseDirectory ?? Environment.CurrentDirectory, source);
        return scenario;
    }

    /// <summary>The script for caller turn <paramref name="turn"/> (1-based).</summary>
    internal ScenarioTurn TurnFor(int turn)
    {
        if (turn >= 1 && turn <= Turns.Count)
        {
            return Turns[turn - 1];
        }

        var index = Math.Max(0, turn - Turns.Count - 1);
        var reply = Otherwise.Count > 0
            ? Otherwise[index % Otherwise.Count]
            : new ScenarioReply { Clip = GenericClips[index % GenericClips.Length] };
        return new ScenarioTurn { Reply = reply };
    }
}
