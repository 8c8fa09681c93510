namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>Control events of a media stream, in arrival order, on <see cref="TwilioMediaStream.Events"/>.</summary>
internal abstract record MediaStreamEvent
{
    /// <summary><c>start</c> arrived (always the first event; a handler only sees streams whose start passed the handshake).</summary>
    internal sealed record Started(StreamStartInfo Start) : MediaStreamEvent;

    /// <summary>The caller pressed <paramref name="Digit"/>.</summary>
    internal sealed record Dtmf(string Digit) : MediaStreamEvent;

    /// <summary>Twilio echoed one of our marks: <paramref name="Played"/> or cleared by barge-in.</summary>
    internal sealed record MarkEchoed(PlaybackMark Mark, bool Played) : MediaStreamEvent;

    /// <summary>Twilio sent <c>stop</c>: no more audio will come.</summary>
    internal sealed record Stopped : MediaStreamEvent;
}
