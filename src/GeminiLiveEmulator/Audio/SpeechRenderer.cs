using System.Collections.Concurrent;

namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// Turns a scenario reply into speech: a shipped clip (by id, or because it says the same text), the scenario's own
/// WAV, espeak-ng for other text when the machine has it, and the speech-like babble otherwise. Rendered text is cached.
/// </summary>
internal sealed class SpeechRenderer(ClipLibrary clips, EspeakSynthesizer? espeak)
{
    private const int MaxCached = 256;
    private readonly ConcurrentDictionary<string, SpeechClip> _cache = new(StringComparer.Ordinal);

    public ClipLibrary Clips { get; } = clips;

    /// <summary>Speech for <paramref name="reply"/>; <paramref name="text"/> is its text with placeholders filled.</summary>
    public ValueTask<SpeechClip> RenderAsync(ScenarioReply reply, string? text, CancellationToken cancellationToken)
    {
        if (reply.Clip is { } id && Clips.TryGet(id, out var clip))
        {
            return ValueTask.FromResult(clip);
        }

        if (reply.WavSamples is { } samples)
        {
            return ValueTask.FromResult(new SpeechClip(text ?? reply.Text ?? "", samples, $"wav:{reply.Wav}"));
        }

        return RenderTextAsync(text ?? reply.Text ?? "", cancellationToken);
    }

    public ValueTask<SpeechClip> RenderTextAsync(string text, CancellationToken cancellationToken)
    {
        if (Clips.FindByText(text) is { } clip)
        {
            return ValueTask.FromResult(clip);
        }

        if (_cache.TryGetValue(text, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        return espeak is null ? ValueTask.FromResult(Remember(new SpeechClip(text, BabbleSynthesizer.Synthesize(text), "babble")))
            : new ValueTask<SpeechClip>(SpeakAsync(espeak, text, cancellationToken));
    }

    private async Task<SpeechClip> SpeakAsync(EspeakSynthesizer synthesizer, string text, CancellationToken cancellationToken)
    {
        try
        {
            return Remember(new SpeechClip(text, await synthesizer.SynthesizeAsync(text, cancellationToken), "espeak-ng"));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or InvalidDataException)
        {
            return Remember(new SpeechClip(text, BabbleSynthesizer.Synthesize(text), "babble"));
        }
    }

    private SpeechClip Remember(SpeechClip clip)
    {
        if (_cache.Count < MaxCached)
        {
            _cache.TryAdd(clip.Text, clip);
        }

        return clip;
    }
}
