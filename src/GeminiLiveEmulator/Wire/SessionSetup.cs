namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>The parts of a <c>setup</c> message the emulator acts on (the parser has already checked the rest).</summary>
internal sealed record SessionSetup
{
    /// <summary>The model resource as sent: <c>models/M</c>, <c>projects/P/locations/L/publishers/google/models/M</c>, ….</summary>
    public required string Model { get; init; }

    /// <summary><c>generationConfig.responseModalities</c> as sent (empty when absent).</summary>
    public IReadOnlyList<string> ResponseModalities { get; init; } = [];

    public bool HasSpeechConfig { get; init; }

    public string? VoiceName { get; init; }

    public long? ThinkingBudget { get; init; }

    public string? ThinkingLevel { get; init; }

    public bool EnableAffectiveDialog { get; init; }

    public bool ProactiveAudio { get; init; }

    public string SystemInstruction { get; init; } = "";

    public IReadOnlyList<FunctionDeclaration> Functions { get; init; } = [];

    public RealtimeInputSettings RealtimeInput { get; init; } = new();

    public bool InputTranscription { get; init; }

    public bool OutputTranscription { get; init; }

    /// <summary><c>sessionResumption</c> was present (with or without a handle).</summary>
    public bool SessionResumption { get; init; }

    public string? ResumeHandle { get; init; }

    /// <summary>Vertex only: report <c>lastConsumedClientMessageIndex</c>.</summary>
    public bool TransparentResumption { get; init; }

    public bool ContextWindowCompression { get; init; }

    /// <summary><c>historyConfig.initialHistoryInClientContent</c>.</summary>
    public bool InitialHistoryInClientContent { get; init; }

    /// <summary>The field names sent at the top level of <c>setup</c>, for the readable log.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
}

/// <summary>A declared function; <see cref="NonBlocking"/> when <c>behavior</c> is <c>NON_BLOCKING</c>.</summary>
internal sealed record FunctionDeclaration(string Name, bool NonBlocking);

/// <summary><c>realtimeInputConfig</c>; null members were not sent (the emulator applies its defaults).</summary>
internal sealed record RealtimeInputSettings
{
    public bool AutomaticActivityDetection { get; init; } = true;

    public string? StartSensitivity { get; init; }

    public string? EndSensitivity { get; init; }

    public int? PrefixPaddingMs { get; init; }

    public int? SilenceDurationMs { get; init; }

    /// <summary><c>activityHandling: NO_INTERRUPTION</c>: caller speech does not cut the model off.</summary>
    public bool NoInterruption { get; init; }

    public string? TurnCoverage { get; init; }
}
