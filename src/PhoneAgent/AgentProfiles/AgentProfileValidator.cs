namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Checks one parsed profile and adds every problem as <c>{file}: {json path} {what is wrong}</c>. Checks that span
/// profiles (unique names, phone numbers, the default profile) are in <see cref="AgentProfileLoader"/>.
/// </summary>
internal static class AgentProfileValidator
{
    public static void Validate(AgentProfile profile, string fileName, string file, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var e = new Errors(file, errors);

        if (e.Required("$.name", profile.Name) && profile.Name != fileName)
        {
            e.Add("$.name", $"must equal the file name without .json, '{fileName}' (got '{profile.Name}')");
        }

        if (e.Required("$.language", profile.Language) && !ProfileFormats.Bcp47().IsMatch(profile.Language))
        {
            e.Add("$.language", $"must be a BCP-47 language tag such as \"en-US\" (got '{profile.Language}')");
        }

        e.Required("$.systemInstruction", profile.SystemInstruction);

        if (e.Required("$.voice", profile.Voice) && !GeminiVoices.Known.Contains(profile.Voice))
        {
            e.Add("$.voice", $"'{profile.Voice}' is not a Gemini prebuilt voice (case-sensitive): {GeminiVoices.List}");
        }

        e.Required("$.greeting", profile.Greeting);
        e.Required("$.aiDisclosure", profile.AiDisclosure);

        ValidatePhoneNumbers(profile.PhoneNumbers, e);
        e.Defined("$.bargeIn.mode", profile.BargeIn.Mode);
        ValidateVoiceActivity(profile.VoiceActivity, e);
        ValidateLimits(profile.Limits, e);
        ValidateFallback(profile.Fallback, e);
        ValidateTools(profile.Tools, e);

        var enabled = profile.Tools.Enabled.ToHashSet(StringComparer.Ordinal);
        ValidateTransfer(profile.Transfer, enabled, e);
        ValidateVerification(profile.Verification, enabled, e);
        ValidateRefunds(profile.Refunds, enabled, e);
        ValidateBusinessHours(profile, e);
        ValidateKnowledge(profile.Knowledge, enabled, e);
    }

    private static void ValidateTransfer(TransferSettings transfer, HashSet<string> enabled, Errors e)
    {
        e.Defined("$.transfer.action", transfer.Action);
        e.Defined("$.transfer.whenUnanswered", transfer.WhenUnanswered);
        if (transfer.Timeout < TimeSpan.FromSeconds(5) || transfer.Timeout > TimeSpan.FromMinutes(10))
        {
            e.Add("$.transfer.timeout", $"must be between 00:00:05 and 00:10:00 (got \"{transfer.Timeout:c}\")");
        }

        const string TargetPath = "$.transfer.target";
        var target = transfer.Target;
        if (string.IsNullOrWhiteSpace(target))
        {
            if (enabled.Contains(ToolNames.ConnectToHuman))
            {
                e.Add(TargetPath, $"is required when $.tools.enabled lists \"{ToolNames.ConnectToHuman}\" (a Twilio queue name, or an E.164 number or SIP URI for \"dial\")");
            }
        }
        else if (transfer.Action == TransferAction.Enqueue && target.Length > 64)
        {
            e.Add(TargetPath, "must be a Twilio queue name of at most 64 characters");
        }
        else if (transfer.Action == TransferAction.Dial && !ProfileFormats.E164().IsMatch(target) && !ProfileFormats.SipUri().IsMatch(target))
        {
            e.Add(TargetPath, $"must be an E.164 number such as \"+15551234567\" or a SIP URI such as \"sip:support@example.com\" when $.transfer.action is \"dial\" (got '{target}')");
        }
    }

    private static void ValidateVerification(VerificationSettings verification, HashSet<string> enabled, Errors e)
    {
        e.Defined("$.verification.method", verification.Method);
        e.InRange("$.verification.maxAttempts", verification.MaxAttempts, 1, VerificationSettings.MaxMaxAttempts);
        if (verification.AttestedCallerNeedsOneFactorFewer && verification.Method == VerificationMethod.Pin)
        {
            e.Add("$.verification.attestedCallerNeedsOneFactorFewer", "is allowed only with $.verification.method \"postcodeAndLastOrder\" (the PIN is the only factor; caller ID alone never verifies)");
        }

        foreach (var tool in ToolNames.NeedVerification)
        {
            if (enabled.Contains(tool) && !enabled.Contains(ToolNames.VerifyCaller))
            {
                e.Add("$.tools.enabled", $"lists \"{tool}\", which needs \"{ToolNames.VerifyCaller}\" too (it refuses unverified callers)");
            }
        }
    }

    private static void ValidateRefunds(RefundSettings refunds, HashSet<string> enabled, Errors e)
    {
        if (refunds.AutoApproveLimit is { } limit)
        {
            if (limit < 0 || decimal.Round(limit, 2) != limit)
            {
                e.Add("$.refunds.autoApproveLimit", $"must be an amount of at least 0 with at most 2 decimals (got {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
            }
        }
        else if (enabled.Contains(ToolNames.ProcessRefund))
        {
            e.Add("$.refunds.autoApproveLimit", $"is required when $.tools.enabled lists \"{ToolNames.ProcessRefund}\" (the largest refund granted without a human; 0 for none)");
        }

        if (!ProfileFormats.CurrencyCode().IsMatch(refunds.Currency ?? ""))
        {
            e.Add("$.refunds.currency", $"must be an ISO 4217 code such as \"USD\" (got '{refunds.Currency}')");
        }
    }

    private static void ValidateBusinessHours(AgentProfile profile, Errors e)
    {
        if (profile.BusinessHours is not { } hours)
        {
            return;
        }

        var errors = e;
        BusinessSchedule.TryCreate(hours, "$.businessHours", (path, message) => errors.Add(path, message));
        if (hours.AfterHoursProfile is { } afterHours)
        {
            if (string.IsNullOrWhiteSpace(afterHours))
            {
                e.Add("$.businessHours.afterHoursProfile", "must name a profile when set");
            }
            else if (string.Equals(afterHours, profile.Name, StringComparison.OrdinalIgnoreCase))
            {
                e.Add("$.businessHours.afterHoursProfile", "must name another profile, not this one");
            }
        }
    }

    private static void ValidateKnowledge(KnowledgeSettings knowledge, HashSet<string> enabled, Errors e)
    {
        for (var i = 0; i < knowledge.Articles.Count; i++)
        {
            var article = knowledge.Articles[i];
            var path = $"$.knowledge.articles[{i}]";
            if (string.IsNullOrWhiteSpace(article))
            {
                e.Add(path, "must be a markdown file relative to the profiles folder, e.g. \"knowledge/returns.md\"");
            }
            else if (Path.IsPathRooted(article) || article.Replace('\\', '/').Split('/').Contains(".."))
            {
                e.Add(path, $"must stay inside the profiles folder: no absolute path and no '..' (got '{article}')");
            }
            else if (!article.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                e.Add(path, $"must name markdown files ending in .md (got '{article}')");
            }
            else if (Path.GetDirectoryName(article)!.Contains('*', StringComparison.Ordinal))
            {
                e.Add(path, $"may use '*' in the file name only (got '{article}')");
            }
        }

        if (knowledge.Articles.Count == 0 && enabled.Contains(ToolNames.SearchKnowledgeBase))
        {
            e.Add("$.knowledge.articles", $"must list at least one article when $.tools.enabled lists \"{ToolNames.SearchKnowledgeBase}\"");
        }
    }

    private static void ValidateTools(ToolSettings tools, Errors e)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Enabled.Count; i++)
        {
            var name = tools.Enabled[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                e.Add($"$.tools.enabled[{i}]", "must be a tool name");
            }
            else if (!seen.Add(name))
            {
                e.Add($"$.tools.enabled[{i}]", $"'{name}' is listed twice");
            }
        }

        var cue = tools.HoldCue;
        e.Defined("$.tools.holdCue.kind", cue.Kind);
        if (cue.After < HoldCueSettings.MinAfter || cue.After > HoldCueSettings.MaxAfter)
        {
            e.Add("$.tools.holdCue.after", $"must be between {HoldCueSettings.MinAfter:c} and {HoldCueSettings.MaxAfter:c} (got \"{cue.After:c}\")");
        }

        e.InRange("$.tools.holdCue.toneHz", cue.ToneHz, 200, 3400);
        if (cue.Kind == HoldCueKind.Clip && string.IsNullOrWhiteSpace(cue.Clip))
        {
            e.Add("$.tools.holdCue.clip", "is required when $.tools.holdCue.kind is \"clip\" (a WAV file)");
        }
    }

    private static void ValidatePhoneNumbers(IReadOnlyList<string> numbers, Errors e)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < numbers.Count; i++)
        {
            var path = $"$.phoneNumbers[{i}]";
            var number = numbers[i];
            if (number is null || !ProfileFormats.E164().IsMatch(number))
            {
                e.Add(path, $"must be an E.164 number such as \"+15551234567\" (got '{number}')");
            }
            else if (!seen.Add(number))
            {
                e.Add(path, $"'{number}' is listed twice");
            }
        }
    }

    private static void ValidateVoiceActivity(VoiceActivitySettings vad, Errors e)
    {
        e.Defined("$.voiceActivity.startSensitivity", vad.StartSensitivity);
        e.Defined("$.voiceActivity.endSensitivity", vad.EndSensitivity);
        e.InRange("$.voiceActivity.prefixPaddingMs", vad.PrefixPaddingMs,
            VoiceActivitySettings.MinPrefixPaddingMs, VoiceActivitySettings.MaxPrefixPaddingMs);
        e.InRange("$.voiceActivity.silenceDurationMs", vad.SilenceDurationMs,
            VoiceActivitySettings.MinSilenceDurationMs, VoiceActivitySettings.MaxSilenceDurationMs);
    }

    private static void ValidateLimits(CallLimits limits, Errors e)
    {
        if (limits.MaxCallDuration <= TimeSpan.Zero || limits.MaxCallDuration >= CallLimits.MaxCallDurationLimit)
        {
            e.Add("$.limits.maxCallDuration", $"must be more than 00:00:00 and less than {CallLimits.MaxCallDurationLimit:c} (got \"{limits.MaxCallDuration:c}\")");
        }

        if (limits.IdleRepromptAfter < CallLimits.MinIdleRepromptAfter)
        {
            e.Add("$.limits.idleRepromptAfter", $"must be at least {CallLimits.MinIdleRepromptAfter:c} (got \"{limits.IdleRepromptAfter:c}\")");
        }
        else if (limits.IdleRepromptAfter >= limits.MaxCallDuration)
        {
            e.Add("$.limits.idleRepromptAfter", $"must be less than $.limits.maxCallDuration (got \"{limits.IdleRepromptAfter:c}\")");
        }

        e.InRange("$.limits.idleRepromptMax", limits.IdleRepromptMax, 0, CallLimits.MaxIdleReprompts);

        if (limits.StallTimeout < TimeSpan.FromSeconds(2) || limits.StallTimeout > TimeSpan.FromSeconds(60))
        {
            e.Add("$.limits.stallTimeout", $"must be between 00:00:02 and 00:01:00 (got \"{limits.StallTimeout:c}\")");
        }

        if (limits.EndCallTimeout < TimeSpan.FromSeconds(1) || limits.EndCallTimeout > TimeSpan.FromSeconds(60))
        {
            e.Add("$.limits.endCallTimeout", $"must be between 00:00:01 and 00:01:00 (got \"{limits.EndCallTimeout:c}\")");
        }

        if (limits.MaxCallsPerCallerPerHour is { } perHour)
        {
            e.InRange("$.limits.maxCallsPerCallerPerHour", perHour, 1, 1000);
        }

        if (limits.MaxTokensPerCall is <= 0)
        {
            e.Add("$.limits.maxTokensPerCall", $"must be a positive number when set (got {limits.MaxTokensPerCall})");
        }
    }

    private static void ValidateFallback(FallbackSettings fallback, Errors e)
    {
        e.Defined("$.fallback.action", fallback.Action);
        e.Required("$.fallback.apology", fallback.Apology);

        const string TargetPath = "$.fallback.target";
        var target = fallback.Target;
        switch (fallback.Action)
        {
            case FallbackAction.Hangup when target is not null:
                e.Add(TargetPath, "must not be set when $.fallback.action is \"hangup\"");
                break;
            case FallbackAction.Enqueue when string.IsNullOrWhiteSpace(target):
                e.Add(TargetPath, "is required when $.fallback.action is \"enqueue\" (the Twilio queue name)");
                break;
            case FallbackAction.Enqueue when target!.Length > 64:
                e.Add(TargetPath, "must be a Twilio queue name of at most 64 characters");
                break;
            case FallbackAction.Dial when string.IsNullOrWhiteSpace(target):
                e.Add(TargetPath, "is required when $.fallback.action is \"dial\" (an E.164 number or a SIP URI)");
                break;
            case FallbackAction.Dial when !ProfileFormats.E164().IsMatch(target!) && !ProfileFormats.SipUri().IsMatch(target!):
                e.Add(TargetPath, $"must be an E.164 number such as \"+15551234567\" or a SIP URI such as \"sip:support@example.com\" (got '{target}')");
                break;
        }
    }

    /// <summary>Formats and collects errors for one file.</summary>
    private readonly struct Errors(string file, ICollection<string> errors)
    {
        public void Add(string path, string message) => errors.Add($"{file}: {path} {message}");

        /// <summary>Adds "is required" for a missing or blank value; returns whether the value is present.</summary>
        public bool Required(string path, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return true;
            }

            Add(path, "is required");
            return false;
        }

        public void Defined<TEnum>(string path, TEnum value)
            where TEnum : struct, Enum
        {
            if (!Enum.IsDefined(value))
            {
                Add(path, $"is required, one of {CamelCaseEnumConverter<TEnum>.AllowedValues}");
            }
        }

        public void InRange(string path, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                Add(path, $"must be between {min} and {max} (got {value})");
            }
        }
    }
}
