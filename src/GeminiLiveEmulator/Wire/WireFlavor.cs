using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using PhoneAgent.GeminiLiveEmulator.Hosting;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>
/// How one back end and model generation shape their server frames (gemini-golden README §2, §3, §6). The emulator
/// picks one per session from the path and the model: Vertex, Developer API 2.x, or Developer API 3.x.
/// </summary>
internal sealed class WireFlavor
{
    public static WireFlavor DeveloperApi2 { get; } = new()
    {
        Name = "developer-api-2.x",
        AudioMimeType = "audio/pcm;rate=24000",
        Role = ModelTurnRole.None,
        Thinks = true,
        // Native-audio 2.5 on the Developer API: about 3 kB (~62 ms) per chunk, estimated from AUDIO token counts.
        ChunkBytes = [3200, 2960, 3520, 3040, 3360],
        NewFunctionCallId = () => "function-call-" + RandomUInt64().ToString(CultureInfo.InvariantCulture),
    };

    public static WireFlavor DeveloperApi3 { get; } = new()
    {
        Name = "developer-api-3.x",
        AudioMimeType = "audio/pcm;rate=24000",
        Role = ModelTurnRole.AfterParts,
        BundlesOutputTranscription = true,
        SendsVoiceActivity = true,
        SendsEmptyFrames = true,
        ResumptionUpdatesWithoutRequest = true,
        WholeInputTranscription = true,
        RejectsMissingRole = true,
        // gemini-3.x: about 9,100 B (~190 ms) per chunk.
        ChunkBytes = [9120, 9600, 8640],
        NewFunctionCallId = () => "fc_" + RandomUInt64().ToString(CultureInfo.InvariantCulture),
    };

    public static WireFlavor Vertex { get; } = new()
    {
        Name = "vertex",
        AudioMimeType = "audio/pcm",
        Role = ModelTurnRole.BeforeParts,
        FramesOutputTranscription = true,
        VertexUsageNames = true,
        SetupCompleteHasSessionId = true,
        // Vertex 2.5 native audio: 11114, 11520, 15360, 9600 B were recorded.
        ChunkBytes = [11114, 11520, 15360, 9600],
        NewFunctionCallId = () => Guid.NewGuid().ToString(),
    };

    public required string Name { get; init; }

    /// <summary>Output audio label: <c>audio/pcm</c> on Vertex, <c>audio/pcm;rate=24000</c> on the Developer API.</summary>
    public required string AudioMimeType { get; init; }

    /// <summary>Where <c>modelTurn.role</c> goes: absent (Dev 2.x), after <c>parts</c> (Dev 3.x), first (Vertex).</summary>
    public ModelTurnRole Role { get; init; }

    /// <summary>3.x puts <c>outputTranscription</c> in the same <c>serverContent</c> as the audio part.</summary>
    public bool BundlesOutputTranscription { get; init; }

    /// <summary>Vertex opens output transcription with <c>{}</c> and ends it with <c>finished: true</c>.</summary>
    public bool FramesOutputTranscription { get; init; }

    /// <summary>Vertex: <c>candidatesTokenCount</c>/<c>candidatesTokensDetails</c> and <c>groundingMetadata: {}</c> on turnComplete.</summary>
    public bool VertexUsageNames { get; init; }

    public bool SetupCompleteHasSessionId { get; init; }

    /// <summary>3.x sends <c>voiceActivity</c> ACTIVITY_START/END.</summary>
    public bool SendsVoiceActivity { get; init; }

    /// <summary>3.x sends bare <c>{}</c> frames (before audio chunks) and an empty <c>serverContent</c>.</summary>
    public bool SendsEmptyFrames { get; init; }

    /// <summary>3.x issues resumption handles even when setup had no <c>sessionResumption</c>.</summary>
    public bool ResumptionUpdatesWithoutRequest { get; init; }

    /// <summary>3.x transcribes the caller's utterance in one message; 2.x in word-piece deltas.</summary>
    public bool WholeInputTranscription { get; init; }

    /// <summary>Dev 2.5 native audio sends <c>thought: true</c> text parts unless thinkingBudget is 0.</summary>
    public bool Thinks { get; init; }

    /// <summary>3.x closes the session with 1007 for a clientContent turn without a role.</summary>
    public bool RejectsMissingRole { get; init; }

    /// <summary>Audio bytes per chunk, used in rotation (the last chunk of a reply holds the remainder).</summary>
    public required IReadOnlyList<int> ChunkBytes { get; init; }

    public required Func<string> NewFunctionCallId { get; init; }

    public static WireFlavor For(LiveEndpoint endpoint, string modelId) =>
        endpoint.IsVertex ? Vertex
        : modelId.StartsWith("gemini-3", StringComparison.Ordinal) ? DeveloperApi3
        : DeveloperApi2;

    private static ulong RandomUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes) | (1UL << 63);
    }
}

internal enum ModelTurnRole
{
    None,
    BeforeParts,
    AfterParts,
}
