using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// The energy detector's thresholds from <c>realtimeInputConfig.automaticActivityDetection</c>. Start sensitivity
/// HIGH starts on quieter sound (−40 dBFS RMS per 20 ms frame) than LOW (−30 dBFS); end sensitivity HIGH ends speech
/// as soon as the level falls below the start threshold, LOW only 10 dB further down. Unset values take the Developer
/// API reference's defaults (HIGH/HIGH), 20 ms of prefix padding and the service's ~800 ms end-of-speech silence.
/// </summary>
internal sealed record VadSettings(double StartThresholdDb, double EndThresholdDb, TimeSpan PrefixPadding, TimeSpan SilenceDuration)
{
    public const double HighStartDb = -40;
    public const double LowStartDb = -30;
    public const double LowEndMarginDb = 10;
    public static readonly TimeSpan DefaultPrefixPadding = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan DefaultSilence = TimeSpan.FromMilliseconds(800);

    public static VadSettings From(RealtimeInputSettings settings)
    {
        var start = settings.StartSensitivity == "START_SENSITIVITY_LOW" ? LowStartDb : HighStartDb;
        var end = settings.EndSensitivity == "END_SENSITIVITY_LOW" ? start - LowEndMarginDb : start;
        return new VadSettings(
            start,
            end,
            settings.PrefixPaddingMs is { } prefix ? TimeSpan.FromMilliseconds(prefix) : DefaultPrefixPadding,
            settings.SilenceDurationMs is { } silence ? TimeSpan.FromMilliseconds(silence) : DefaultSilence);
    }

    public override string ToString() =>
        $"start {StartThresholdDb} dBFS, end {EndThresholdDb} dBFS, prefix {PrefixPadding.TotalMilliseconds} ms, silence {SilenceDuration.TotalMilliseconds} ms";
}
