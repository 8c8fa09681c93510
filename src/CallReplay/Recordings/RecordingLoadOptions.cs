namespace PhoneAgent.CallReplay.Recordings;

/// <summary>How <see cref="RecordedCall.Load"/> reads a recording.</summary>
public sealed record RecordingLoadOptions
{
    /// <summary>
    /// Which channel of a multi-channel WAV is the caller. A Twilio dual-channel call recording holds the caller
    /// (the inbound leg, the call's parent) on the first channel and what Twilio played to them on the second.
    /// </summary>
    /// <value>The default value is 0 (the first, left, channel).</value>
    public int CallerChannel { get; init; }

    /// <summary>A transcript to use instead of the sidecar <c>NAME.json</c>.</summary>
    /// <value>The default value is <see langword="null"/> (the sidecar if it exists, else utterances found from energy).</value>
    public string? TranscriptPath { get; init; }

    /// <summary>Finds utterances when there is no transcript.</summary>
    public SpeechSegmenter Segmenter { get; init; } = new();
}
