using System.Text;

namespace PhoneAgent.Model.Gemini;

/// <summary>Defaults for what a <see cref="ModelSessionConfig"/> leaves open (from <c>Gemini:*</c> options).</summary>
internal sealed record GeminiSessionDefaults(
    bool AffectiveDialog = false,
    bool ProactiveAudio = false,
    ModelThinking Thinking = ModelThinking.Off,
    long CompressionTriggerTokens = 32_000,
    long CompressionTargetTokens = 16_000);

/// <summary>Maps a vendor-neutral <see cref="ModelSessionConfig"/> onto a <see cref="GeminiSetup"/>, guided by the model's capabilities.</summary>
internal static class GeminiSetupBuilder
{
    /// <summary>Longest conversation text put into a fresh seeded session's instruction; older text is cut.</summary>
    public const int MaxSeedCharacters = 12_000;

    public static GeminiSetup Build(
        ModelSessionConfig config,
        GeminiModelCapabilities capabilities,
        string modelResource,
        GeminiSessionDefaults defaults,
        string? resumptionHandle = null,
        string? conversationSeed = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(defaults);

        var affective = (config.AffectiveDialog ?? defaults.AffectiveDialog) && capabilities.AffectiveDialog;
        var proactive = (config.ProactiveAudio ?? defaults.ProactiveAudio) && capabilities.ProactiveAudio;
        var thinking = config.Thinking ?? defaults.Thinking;
        var compression = config.ContextCompression ?? new ModelContextCompression(defaults.CompressionTriggerTokens, defaults.CompressionTargetTokens);
        var handle = resumptionHandle ?? config.ResumptionHandle;

        return new GeminiSetup
        {
            Model = modelResource,
            // Always explicit: a native-audio setup without it was closed with 1007 "Cannot extract voices from a non-audio request".
            ResponseModalities = [config.AudioOutput ? "AUDIO" : "TEXT"],
            Temperature = config.Temperature,
            VoiceName = config.AudioOutput ? config.Voice : null,
            LanguageCode = capabilities.LanguageCode && config.AudioOutput ? config.LanguageCode : null,
            ThinkingBudget = capabilities.Thinking == GeminiThinkingField.Budget ? ThinkingBudget(thinking) : null,
            ThinkingLevel = capabilities.Thinking == GeminiThinkingField.Level ? ThinkingLevel(thinking) : null,
            EnableAffectiveDialog = affective ? true : null,
            SystemInstruction = WithSeed(config.SystemInstruction, conversationSeed),
            FunctionDeclarations = [.. config.Tools.Select(t => Declaration(t, capabilities))],
            GoogleSearch = config.GoogleSearch && capabilities.GoogleSearch,
            SessionResumption = config.Resumable || handle is not null,
            ResumptionHandle = handle,
            InputAudioTranscription = config.TranscribeInput,
            OutputAudioTranscription = config.TranscribeOutput && config.AudioOutput,
            RealtimeInputConfig = RealtimeInput(config.TurnDetection),
            ContextWindowCompression = !compression.IsOff,
            CompressionTriggerTokens = compression.IsOff ? null : compression.TriggerTokens,
            CompressionTargetTokens = compression.IsOff ? null : compression.TargetTokens,
            ProactiveAudio = proactive ? true : null,
        };
    }

    /// <summary>2.5 models: 0 disables thinking, -1 lets the model decide.</summary>
    public static int? ThinkingBudget(ModelThinking thinking) => thinking switch
    {
        ModelThinking.Off or ModelThinking.Minimal => 0,
        ModelThinking.Low => 1024,
        ModelThinking.Medium => 4096,
        ModelThinking.High => 16384,
        ModelThinking.Dynamic => -1,
        _ => null,
    };

    /// <summary>3.x models: minimal is the lowest (thinking cannot be switched off); dynamic leaves the model's default.</summary>
    public static string? ThinkingLevel(ModelThinking thinking) => thinking switch
    {
        ModelThinking.Off or ModelThinking.Minimal => "minimal",
        ModelThinking.Low => "low",
        ModelThinking.Medium => "medium",
        ModelThinking.High => "high",
        _ => null,
    };

    private static GeminiFunctionDeclaration Declaration(ModelToolDeclaration tool, GeminiModelCapabilities capabilities)
    {
        string? behavior = null;
        if (tool.NonBlocking && capabilities.NonBlockingTools && !capabilities.ToolsNonBlockingByDefault)
        {
            behavior = "NON_BLOCKING";
        }
        else if (!tool.NonBlocking && capabilities.ToolsNonBlockingByDefault)
        {
            behavior = "BLOCKING";
        }

        return new GeminiFunctionDeclaration(tool.Name, tool.Description, tool.ParametersSchema, behavior);
    }

    private static GeminiRealtimeInputConfig? RealtimeInput(ModelTurnDetection? vad) => vad is null ? null : new GeminiRealtimeInputConfig
    {
        Disabled = vad.Disabled,
        StartOfSpeechSensitivity = vad.HighStartSensitivity switch { true => "START_SENSITIVITY_HIGH", false => "START_SENSITIVITY_LOW", null => null },
        EndOfSpeechSensitivity = vad.HighEndSensitivity switch { true => "END_SENSITIVITY_HIGH", false => "END_SENSITIVITY_LOW", null => null },
        PrefixPaddingMs = vad.PrefixPaddingMs,
        SilenceDurationMs = vad.SilenceDurationMs,
        ActivityHandling = vad.CallerCanInterrupt switch { true => "START_OF_ACTIVITY_INTERRUPTS", false => "NO_INTERRUPTION", null => null },
        TurnCoverage = vad.TurnIncludesOnlyActivity switch { true => "TURN_INCLUDES_ONLY_ACTIVITY", false => "TURN_INCLUDES_ALL_INPUT", null => null },
    };

    /// <summary>
    /// A fresh session that replaces a lost one gets the conversation so far in its instruction (not as clientContent:
    /// that works on every model, needs no trailing user turn on 2.5 and is accepted where mid-session content is not).
    /// </summary>
    private static string? WithSeed(string? instruction, string? seed)
    {
        if (string.IsNullOrEmpty(seed))
        {
            return instruction;
        }

        if (seed.Length > MaxSeedCharacters)
        {
            seed = "…" + seed[^MaxSeedCharacters..];
        }

        var text = new StringBuilder(instruction);
        if (text.Length > 0)
        {
            text.Append("\n\n");
        }

        text.Append("[The phone call is already in progress; the connection was restored. The conversation so far:]\n")
            .Append(seed)
            .Append("\n[Continue the conversation from here. Do not greet the caller again or repeat yourself; if you were cut off, finish your point briefly.]");
        return text.ToString();
    }
}
