namespace PhoneAgent.Model;

/// <summary>What a model session is asked to be. Built from an agent profile by <see cref="ModelSessionConfigFactory"/>.</summary>
public sealed record ModelSessionConfig
{
    /// <summary>Persona and rules.</summary>
    public string? SystemInstruction { get; init; }

    /// <summary>Prebuilt voice name (case-sensitive); <see langword="null"/> leaves the provider's default.</summary>
    public string? Voice { get; init; }

    /// <summary>BCP-47 tag; sent only to models that accept a language code.</summary>
    public string? LanguageCode { get; init; }

    public IReadOnlyList<ModelToolDeclaration> Tools { get; init; } = [];

    /// <summary>Ground answers with Google Search, where the model accepts it (agent profile <c>googleSearch</c>).</summary>
    public bool GoogleSearch { get; init; }

    /// <summary>The provider's voice activity detection; <see langword="null"/> leaves the provider's defaults.</summary>
    public ModelTurnDetection? TurnDetection { get; init; }

    /// <summary>Speech in the model's audio output (the normal case); off only for text-only tests.</summary>
    public bool AudioOutput { get; init; } = true;

    public bool TranscribeInput { get; init; } = true;

    public bool TranscribeOutput { get; init; } = true;

    /// <summary>Expressive, emotion-aware speech where the model has it; <see langword="null"/> uses the configured default.</summary>
    public bool? AffectiveDialog { get; init; }

    /// <summary>Let the model ignore speech not meant for it, where the model has it; <see langword="null"/> uses the configured default.</summary>
    public bool? ProactiveAudio { get; init; }

    /// <summary><see langword="null"/> uses the configured default.</summary>
    public ModelThinking? Thinking { get; init; }

    public double? Temperature { get; init; }

    /// <summary>Context compression; <see langword="null"/> uses the configured default, <see cref="ModelContextCompression.Off"/> sends none.</summary>
    public ModelContextCompression? ContextCompression { get; init; }

    /// <summary>Make the session resumable across connections (goAway hand-over, reconnects).</summary>
    public bool Resumable { get; init; } = true;

    /// <summary>Resume an earlier session with this provider handle instead of starting fresh.</summary>
    public string? ResumptionHandle { get; init; }

    /// <summary>Another model than the configured one (must be in the same back end).</summary>
    public string? Model { get; init; }

    /// <summary>Correlation for logs, e.g. the call SID.</summary>
    public string? Label { get; init; }
}

/// <summary>Automatic voice activity detection settings.</summary>
public sealed record ModelTurnDetection
{
    public bool? Disabled { get; init; }

    /// <summary><see langword="true"/> detects the start of speech sooner (more false starts).</summary>
    public bool? HighStartSensitivity { get; init; }

    /// <summary><see langword="true"/> commits the end of speech sooner.</summary>
    public bool? HighEndSensitivity { get; init; }

    public int? PrefixPaddingMs { get; init; }

    public int? SilenceDurationMs { get; init; }

    /// <summary>Caller speech interrupts the model (barge-in); <see langword="false"/> lets the model finish.</summary>
    public bool? CallerCanInterrupt { get; init; }

    /// <summary><see langword="true"/>: a turn holds only detected speech; <see langword="false"/>: all input.</summary>
    public bool? TurnIncludesOnlyActivity { get; init; }
}

/// <summary>Sliding-window compression: from <paramref name="TriggerTokens"/>, drop oldest turns down to <paramref name="TargetTokens"/>.</summary>
public sealed record ModelContextCompression(long? TriggerTokens, long? TargetTokens)
{
    public static ModelContextCompression Off { get; } = new(0, 0);

    public bool IsOff => TriggerTokens == 0;
}

public enum ModelThinking
{
    Off = 1,
    Minimal = 2,
    Low = 3,
    Medium = 4,
    High = 5,

    /// <summary>The model decides (thinking budget -1).</summary>
    Dynamic = 6,
}

/// <summary>A tool the model may call.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Description">What it does, for the model.</param>
/// <param name="ParametersSchema">JSON Schema of the arguments object (lower-case JSON Schema types are converted for the provider).</param>
/// <param name="NonBlocking">The model keeps talking while the tool runs (where the model supports it).</param>
public sealed record ModelToolDeclaration(string Name, string Description, System.Text.Json.JsonElement? ParametersSchema = null, bool NonBlocking = false);
