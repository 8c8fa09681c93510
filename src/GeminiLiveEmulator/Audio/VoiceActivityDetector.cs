namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// Energy-based voice activity on 20 ms frames, in audio time (not wall time, so audio sent faster than real time is
/// judged the same): speech starts once frames above the start threshold have lasted the prefix padding, and ends
/// after the configured silence below the end threshold.
/// </summary>
internal sealed class VoiceActivityDetector(VadSettings settings)
{
    private State _state;
    private TimeSpan _onsetStart;
    private TimeSpan _onsetLength;
    private TimeSpan _silence;
    private TimeSpan _lastVoicedEnd;

    private enum State
    {
        Silence,
        Onset,
        Speech,
    }

    public VadSettings Settings { get; } = settings;

    public bool InSpeech => _state == State.Speech;

    public VadEvent? Push(double levelDb, TimeSpan frameStart, TimeSpan frameLength)
    {
        switch (_state)
        {
            case State.Silence when levelDb >= Settings.StartThresholdDb:
                _state = State.Onset;
                _onsetStart = frameStart;
                _onsetLength = TimeSpan.Zero;
                return ContinueOnset(frameStart, frameLength);
            case State.Onset when levelDb >= Settings.StartThresholdDb:
                return ContinueOnset(frameStart, frameLength);
            case State.Onset:
                _state = State.Silence;
                return null;
            case State.Speech when levelDb >= Settings.EndThresholdDb:
                _silence = TimeSpan.Zero;
                _lastVoicedEnd = frameStart + frameLength;
                return null;
            case State.Speech:
                _silence += frameLength;
                if (_silence >= Settings.SilenceDuration)
                {
                    _state = State.Silence;
                    return new VadEvent(false, _onsetStart, _lastVoicedEnd);
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary><c>audioStreamEnd</c>: speech in progress ends now (the service flushes its cached audio).</summary>
    public VadEvent? Flush()
    {
        var wasSpeech = _state == State.Speech;
        _state = State.Silence;
        return wasSpeech ? new VadEvent(false, _onsetStart, _lastVoicedEnd) : null;
    }

    private VadEvent? ContinueOnset(TimeSpan frameStart, TimeSpan frameLength)
    {
        _onsetLength += frameLength;
        _lastVoicedEnd = frameStart + frameLength;
        if (_onsetLength < Settings.PrefixPadding)
        {
            return null;
        }

        _state = State.Speech;
        _silence = TimeSpan.Zero;
        return new VadEvent(true, _onsetStart, _lastVoicedEnd);
    }
}
