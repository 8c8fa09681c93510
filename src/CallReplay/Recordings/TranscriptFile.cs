using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhoneAgent.CallReplay.Recordings;

/// <summary>
/// The sidecar transcript of a recording: <c>NAME.json</c> next to <c>NAME.wav</c> (or <c>NAME.ulaw</c>), holding
/// <c>{ "recording", "sampleRate", "encoding", "durationMs", "utterances": [{ "startMs", "endMs", "text" }] }</c>.
/// The Gemini Live emulator reads the same file for its scripted input transcription.
/// </summary>
public static class TranscriptFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The sidecar path for <paramref name="recordingPath"/> (same folder and name, <c>.json</c>).</summary>
    public static string PathFor(string recordingPath) => Path.ChangeExtension(recordingPath, ".json");

    /// <summary>Reads a transcript file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid transcript.</exception>
    public static IReadOnlyList<Utterance> Read(string path)
    {
        Model? model;
        try
        {
            model = JsonSerializer.Deserialize<Model>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a transcript ({e.Message}).", e);
        }

        if (model?.Utterances is null)
        {
            throw new InvalidDataException($"{path}: a transcript needs an \"utterances\" array.");
        }

        var utterances = new List<Utterance>(model.Utterances.Count);
        foreach (var u in model.Utterances)
        {
            if (u.StartMs < 0 || u.EndMs <= u.StartMs)
            {
                throw new InvalidDataException($"{path}: utterance \"{u.Text}\" has startMs {u.StartMs} and endMs {u.EndMs}.");
            }

            utterances.Add(new Utterance(TimeSpan.FromMilliseconds(u.StartMs), TimeSpan.FromMilliseconds(u.EndMs), u.Text ?? ""));
        }

        utterances.Sort((a, b) => a.Start.CompareTo(b.Start));
        return utterances;
    }

    /// <summary>Writes a transcript for <paramref name="recording"/> (used by <c>CallReplay segment</c>).</summary>
    public static void Write(string path, RecordedCall recording, IReadOnlyList<Utterance> utterances)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(utterances);
        var model = new Model
        {
            Recording = recording.Name,
            SampleRate = 8000,
            Encoding = "mulaw",
            DurationMs = (long)recording.Duration.TotalMilliseconds,
            Utterances = [.. utterances.Select(u => new UtteranceModel
            {
                StartMs = (long)u.Start.TotalMilliseconds,
                EndMs = (long)u.End.TotalMilliseconds,
                Text = u.Text,
            })],
        };
        File.WriteAllText(path, JsonSerializer.Serialize(model, Options) + "\n");
    }

    private sealed class Model
    {
        public string? Recording { get; set; }

        public int? SampleRate { get; set; }

        public string? Encoding { get; set; }

        public long? DurationMs { get; set; }

        [JsonPropertyName("utterances")]
        public List<UtteranceModel>? Utterances { get; set; }
    }

    private sealed class UtteranceModel
    {
        public long StartMs { get; set; }

        public long EndMs { get; set; }

        public string? Text { get; set; }
    }
}
