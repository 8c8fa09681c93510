using PhoneAgent.AgentProfiles;

namespace PhoneAgent.Model;

/// <summary>Turns an agent profile (and the tools it may use) into a <see cref="ModelSessionConfig"/>.</summary>
internal static class ModelSessionConfigFactory
{
    /// <param name="profile">The call's profile: instruction, voice, language, voice activity, barge-in.</param>
    /// <param name="tools">Declarations of the tools the profile enables.</param>
    /// <param name="label">Correlation for logs, e.g. the call SID.</param>
    public static ModelSessionConfig FromProfile(AgentProfile profile, IReadOnlyList<ModelToolDeclaration>? tools = null, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var vad = profile.VoiceActivity;
        return new ModelSessionConfig
        {
            SystemInstruction = WithLanguage(profile.SystemInstruction, profile.Language),
            Voice = profile.Voice,
            LanguageCode = string.IsNullOrWhiteSpace(profile.Language) ? null : profile.Language,
            Tools = tools ?? [],
            GoogleSearch = profile.GoogleSearch,
            TurnDetection = new ModelTurnDetection
            {
                Disabled = false,
                HighStartSensitivity = vad.StartSensitivity == SpeechSensitivity.High,
                HighEndSensitivity = vad.EndSensitivity == SpeechSensitivity.High,
                PrefixPaddingMs = vad.PrefixPaddingMs,
                SilenceDurationMs = vad.SilenceDurationMs,
                CallerCanInterrupt = profile.BargeIn.Mode != BargeInMode.NoInterruption,
                // Google's phone sample: a turn is what the caller said, not the line noise around it.
                TurnIncludesOnlyActivity = true,
            },
            Label = label ?? profile.Name,
        };
    }

    /// <summary>
    /// The profile's language steers the model through its instruction: native-audio models pick the language
    /// themselves and most do not take <c>speechConfig.languageCode</c> (sent only where the capability table allows).
    /// </summary>
    public static string WithLanguage(string instruction, string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return instruction;
        }

        // The tag itself, not a culture name: the service runs with invariant globalization, and models read tags.
        var text = $"Speak to the caller in the language {language} (a BCP-47 tag); if they speak another language, answer in theirs.";
        return string.IsNullOrEmpty(instruction) ? text : instruction + "\n\n" + text;
    }
}
