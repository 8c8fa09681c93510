using System.Text.Json;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// The <c>setup</c> message as the wire carries it. Every field is optional except <see cref="Model"/>; what is
/// <see langword="null"/> (or false) is not written. Built by <see cref="GeminiSetupBuilder"/>, written by
/// <see cref="GeminiClientMessageWriter.WriteSetup"/>.
/// </summary>
internal sealed record GeminiSetup
{
    /// <summary><c>models/M</c>, <c>projects/P/locations/L/publishers/google/models/M</c> or <c>publishers/google/models/M</c>.</summary>
    public required string Model { get; init; }

    public IReadOnlyList<string>? ResponseModalities { get; init; }

    public double? Temperature { get; init; }

    public string? VoiceName { get; init; }

    public string? LanguageCode { get; init; }

    public int? ThinkingBudget { get; init; }

    public string? ThinkingLevel { get; init; }

    public bool? EnableAffectiveDialog { get; init; }

    public string? SystemInstruction { get; init; }

    public IReadOnlyList<GeminiFunctionDeclaration> FunctionDeclarations { get; init; } = [];

    /// <summary>Adds the built-in <c>{"googleSearch": {}}</c> tool.</summary>
    public bool GoogleSearch { get; init; }

    /// <summary>Sends <c>sessionResumption</c>: <c>{}</c>, or with <see cref="ResumptionHandle"/>.</summary>
    public bool SessionResumption { get; init; }

    public string? ResumptionHandle { get; init; }

    public bool InputAudioTranscription { get; init; }

    public bool OutputAudioTranscription { get; init; }

    public GeminiRealtimeInputConfig? RealtimeInputConfig { get; init; }

    public long? CompressionTriggerTokens { get; init; }

    public long? CompressionTargetTokens { get; init; }

    /// <summary>Sends <c>contextWindowCompression.slidingWindow</c>.</summary>
    public bool ContextWindowCompression { get; init; }

    public bool? ProactiveAudio { get; init; }
}

/// <summary>A function declaration; <see cref="Behavior"/> is <c>BLOCKING</c>, <c>NON_BLOCKING</c> or <see langword="null"/>.</summary>
internal sealed record GeminiFunctionDeclaration(string Name, string Description, JsonElement? Parameters, string? Behavior);

/// <summary><c>realtimeInputConfig</c>.</summary>
internal sealed record GeminiRealtimeInputConfig
{
    public bool? Disabled { get; init; }

    /// <summary><c>START_SENSITIVITY_HIGH</c> or <c>START_SENSITIVITY_LOW</c>.</summary>
    public string? StartOfSpeechSensitivity { get; init; }

    /// <summary><c>END_SENSITIVITY_HIGH</c> or <c>END_SENSITIVITY_LOW</c>.</summary>
    public string? EndOfSpeechSensitivity { get; init; }

    public int? PrefixPaddingMs { get; init; }

    public int? SilenceDurationMs { get; init; }

    /// <summary><c>START_OF_ACTIVITY_INTERRUPTS</c> or <c>NO_INTERRUPTION</c>.</summary>
    public string? ActivityHandling { get; init; }

    /// <summary><c>TURN_INCLUDES_ONLY_ACTIVITY</c>, <c>TURN_INCLUDES_ALL_INPUT</c>, …</summary>
    public string? TurnCoverage { get; init; }
}
