using PhoneAgent.AudioCodec.Resampling;

namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// The service's ear: PCM16 at whatever rate the client declared, resampled to 16 kHz with AudioCodec (rates it has
/// no design for are analysed at their own rate), cut into 20 ms frames, levelled and fed to the detector. Keeps the
/// input audio clock that <c>voiceActivity.audioOffset</c> and the usage counts use.
/// </summary>
internal sealed class CallerAudioAnalyzer(VoiceActivityDetector? detector)
{
    private const int AnalysisRate = 16000;
    private static readonly TimeSpan FrameLength = TimeSpan.FromMilliseconds(20);

    private StreamingResampler? _resampler;
    private int _inputRate;
    private int _analysisRate = AnalysisRate;
    private short[] _frame = new short[AnalysisRate / 50];
    private int _frameFill;
    private short[] _scratch = [];
    private short[] _input = [];
    private long _analysedSamples;

    /// <summary>Null when automatic activity detection is off (the client sends activityStart/End).</summary>
    public VoiceActivityDetector? Detector { get; } = detector;

    /// <summary>All input audio received so far, in audio time.</summary>
    public TimeSpan Received { get; private set; }

    public bool InSpeech => Detector?.InSpeech == true;

    public void Process(ReadOnlySpan<byte> pcm, int sampleRate, List<VadEvent> events)
    {
        var count = pcm.Length / 2;
        var duration = TimeSpan.FromSeconds((double)count / sampleRate);
        if (Detector is null)
        {
            Received += duration;
            return;
        }

        // Into a buffer kept for the next message: caller audio arrives 50 times a second.
        if (_input.Length < count)
        {
            _input = new short[count];
        }

        var samples = _input.AsSpan(0, count);
        Pcm.FromBytes(pcm, samples);

        if (sampleRate != _inputRate)
        {
            SwitchRate(sampleRate);
        }

        ReadOnlySpan<short> analysed = samples;
        if (_resampler is not null)
        {
            var needed = _resampler.GetOutputLength(samples.Length);
            if (_scratch.Length < needed)
            {
                _scratch = new short[needed];
            }

            var written = _resampler.Process(samples, _scratch);
            analysed = _scratch.AsSpan(0, written);
        }

        while (!analysed.IsEmpty)
        {
            var take = Math.Min(_frame.Length - _frameFill, analysed.Length);
            analysed[..take].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += take;
            analysed = analysed[take..];
            if (_frameFill == _frame.Length)
            {
                var start = TimeSpan.FromSeconds((double)_analysedSamples / _analysisRate);
                _analysedSamples += _frame.Length;
                _frameFill = 0;
                if (Detector.Push(LevelDb(_frame), start, FrameLength) is { } vad)
                {
                    events.Add(vad);
                }
            }
        }

        Received += duration;
    }

    /// <summary><c>audioStreamEnd</c>: ends speech in progress.</summary>
    public VadEvent? Flush()
    {
        _frameFill = 0;
        return Detector?.Flush();
    }

    /// <summary>RMS level of a frame in dBFS.</summary>
    internal static double LevelDb(ReadOnlySpan<short> frame)
    {
        var sum = 0.0;
        foreach (var s in frame)
        {
            sum += (double)s * s;
        }

        return (10 * Math.Log10((sum / Math.Max(1, frame.Length)) + 1e-9)) - (20 * Math.Log10(32768));
    }

    private void SwitchRate(int sampleRate)
    {
        _inputRate = sampleRate;
        _frameFill = 0;
        _analysedSamples = (long)(Received.TotalSeconds * AnalysisRate);
        if (sampleRate == AnalysisRate)
        {
            _resampler = null;
            _analysisRate = AnalysisRate;
        }
        else if (ResamplerDesign.InputRates.Contains(sampleRate))
        {
            _resampler = StreamingResampler.Create(sampleRate, AnalysisRate);
            _analysisRate = AnalysisRate;
        }
        else
        {
            _resampler = null;
            _analysisRate = sampleRate;
            _analysedSamples = (long)(Received.TotalSeconds * sampleRate);
        }

        _frame = new short[Math.Max(1, _analysisRate / 50)];
    }
}
