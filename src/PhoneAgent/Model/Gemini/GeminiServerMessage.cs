using System.Buffers;
using System.Text.Json;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// One server message with every field it carried (several can arrive together: audio, transcription and
/// turnComplete; usageMetadata beside serverContent). Filled by <see cref="GeminiServerMessageParser"/>; reused per
/// connection, so audio buffers not taken (<see cref="AudioTaken"/>) are returned on <see cref="Reset"/>.
/// </summary>
internal sealed class GeminiServerMessage
{
    private readonly List<AudioPart> _audio = [];

    public bool IsEmpty { get; internal set; } = true;

    public bool SetupComplete { get; internal set; }

    public string? SessionId { get; internal set; }

    public bool HasServerContent { get; internal set; }

    public IReadOnlyList<AudioPart> Audio => _audio;

    public List<TextPart> Texts { get; } = [];

    /// <summary>Parts this client does not act on (executableCode, codeExecutionResult, non-audio inline data).</summary>
    public int OtherParts { get; internal set; }

    public bool GenerationComplete { get; internal set; }

    public bool TurnComplete { get; internal set; }

    public bool Interrupted { get; internal set; }

    public bool WaitingForInput { get; internal set; }

    public string? TurnCompleteReason { get; internal set; }

    public Transcription? InputTranscription { get; internal set; }

    public Transcription? OutputTranscription { get; internal set; }

    public List<FunctionCall> FunctionCalls { get; } = [];

    public bool HasToolCall { get; internal set; }

    public List<string> CancelledCallIds { get; } = [];

    public bool HasToolCallCancellation { get; internal set; }

    public bool HasGoAway { get; internal set; }

    public TimeSpan? GoAwayTimeLeft { get; internal set; }

    public bool HasResumptionUpdate { get; internal set; }

    public string? NewHandle { get; internal set; }

    public bool Resumable { get; internal set; }

    public long? LastConsumedClientMessageIndex { get; internal set; }

    public ModelUsage? Usage { get; internal set; }

    /// <summary><c>ACTIVITY_START</c> / <c>ACTIVITY_END</c> (voiceActivity) or <c>VAD_SIGNAL_TYPE_SOS</c> / <c>_EOS</c>.</summary>
    public string? VoiceActivityType { get; internal set; }

    public TimeSpan? VoiceActivityOffset { get; internal set; }

    /// <summary>Names of fields this client does not use, as dotted paths (for Debug logs).</summary>
    public List<string> IgnoredFields { get; } = [];

    internal void AddAudio(byte[] rented, int length, int sampleRate) => _audio.Add(new AudioPart(rented, length, sampleRate));

    /// <summary>The caller took ownership of every audio buffer (it returns them to <see cref="ArrayPool{T}.Shared"/>).</summary>
    public void AudioTaken() => _audio.Clear();

    /// <summary>Returns the audio buffers without handing them out.</summary>
    public void DiscardAudio()
    {
        foreach (var part in _audio)
        {
            ArrayPool<byte>.Shared.Return(part.Buffer);
        }

        _audio.Clear();
    }

    public void Reset()
    {
        foreach (var part in _audio)
        {
            ArrayPool<byte>.Shared.Return(part.Buffer);
        }

        _audio.Clear();
        IsEmpty = true;
        SetupComplete = false;
        SessionId = null;
        HasServerContent = false;
        Texts.Clear();
        OtherParts = 0;
        GenerationComplete = false;
        TurnComplete = false;
        Interrupted = false;
        WaitingForInput = false;
        TurnCompleteReason = null;
        InputTranscription = null;
        OutputTranscription = null;
        FunctionCalls.Clear();
        HasToolCall = false;
        CancelledCallIds.Clear();
        HasToolCallCancellation = false;
        HasGoAway = false;
        GoAwayTimeLeft = null;
        HasResumptionUpdate = false;
        NewHandle = null;
        Resumable = false;
        LastConsumedClientMessageIndex = null;
        Usage = null;
        VoiceActivityType = null;
        VoiceActivityOffset = null;
        IgnoredFields.Clear();
    }

    /// <summary>PCM16 LE mono in a rented buffer.</summary>
    public readonly record struct AudioPart(byte[] Buffer, int Length, int SampleRate);

    public sealed record TextPart(string Text, bool Thought);

    /// <summary><paramref name="Text"/> is <see langword="null"/> for Vertex's opening <c>{}</c> and closing <c>{"finished": true}</c>.</summary>
    public sealed record Transcription(string? Text, bool Finished);

    /// <summary><paramref name="Id"/> is <see langword="null"/> on old Vertex models, which send none.</summary>
    public sealed record FunctionCall(string? Id, string Name, JsonElement Args);
}
