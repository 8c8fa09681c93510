using System.Text;
using System.Text.Json;
using PhoneAgent.AudioCodec.Wav;

namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// The reply clips shipped inside the assembly (<c>clips/*.wav</c> + <c>clips/manifest.json</c>, made by
/// <c>clips/make-clips.sh</c> with espeak-ng): real speech at 24 kHz, each with the text it says.
/// </summary>
internal sealed class ClipLibrary
{
    private static readonly Lazy<ClipLibrary> EmbeddedLibrary = new(LoadEmbedded);

    private readonly Dictionary<string, SpeechClip> _byId;
    private readonly Dictionary<string, SpeechClip> _byText;

    private ClipLibrary(IReadOnlyList<(string Id, SpeechClip Clip)> clips)
    {
        Ids = [.. clips.Select(c => c.Id)];
        _byId = clips.ToDictionary(c => c.Id, c => c.Clip, StringComparer.Ordinal);
        _byText = new Dictionary<string, SpeechClip>(StringComparer.Ordinal);
        foreach (var (_, clip) in clips)
        {
            _byText.TryAdd(NormalizeText(clip.Text), clip);
        }
    }

    public static ClipLibrary Embedded => EmbeddedLibrary.Value;

    public IReadOnlyList<string> Ids { get; }

    public bool TryGet(string id, out SpeechClip clip) => _byId.TryGetValue(id, out clip!);

    /// <summary>The clip that says <paramref name="text"/> (ignoring case, punctuation and spacing), if any.</summary>
    public SpeechClip? FindByText(string text) => _byText.GetValueOrDefault(NormalizeText(text));

    /// <summary>Lower-case letters and digits, single spaces: "Okay, I can help." → "okay i can help".</summary>
    public static string NormalizeText(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is ' ' or '\t' or '\n' && builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    private static ClipLibrary LoadEmbedded()
    {
        var assembly = typeof(ClipLibrary).Assembly;
        using var manifestStream = assembly.GetManifestResourceStream("clips/manifest.json")
            ?? throw new InvalidOperationException("The emulator assembly has no clips/manifest.json resource.");
        using var manifest = JsonDocument.Parse(manifestStream);
        var clips = new List<(string, SpeechClip)>();
        foreach (var entry in manifest.RootElement.EnumerateArray())
        {
            var id = entry.GetProperty("id").GetString()!;
            var file = entry.GetProperty("file").GetString()!;
            var text = entry.GetProperty("text").GetString()!;
            using var wav = assembly.GetManifestResourceStream($"clips/{file}")
                ?? throw new InvalidOperationException($"The emulator assembly has no clips/{file} resource.");
            var audio = WavFile.Read(wav, file);
            clips.Add((id, new SpeechClip(text, Pcm.To24k(audio.Channels[0], audio.SampleRate), $"clip:{id}")));
        }

        return new ClipLibrary(clips);
    }
}
