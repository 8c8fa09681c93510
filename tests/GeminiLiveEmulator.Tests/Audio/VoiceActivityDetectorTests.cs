using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Audio;

public sealed class VoiceActivityDetectorTests
{
    private static List<VadEvent> Run(RealtimeInputSettings settings, short[] audio, int sampleRate = 16000)
    {
        var analyzer = new CallerAudioAnalyzer(new VoiceActivityDetector(VadSettings.From(settings)));
        var events = new List<VadEvent>();
        var chunk = sampleRate / 50;
        var bytes = Pcm.ToBytes(audio);
        for (var offset = 0; offset < bytes.Length; offset += chunk * 2)
        {
            analyzer.Process(bytes.AsSpan(offset, Math.Min(chunk * 2, bytes.Length - offset)), sampleRate, events);
        }

        return events;
    }

    private static short[] Burst(double amplitude, int ms, int silenceMs, int rate = 16000) =>
        [.. ToneSynthesizer.Tone(300, rate * ms / 1000, rate, amplitude), .. new short[rate * silenceMs / 1000]];

    [Fact]
    public void Utterance_StartsAndEndsAfterTheSilenceDuration()
    {
        var events = Run(new RealtimeInputSettings { SilenceDurationMs = 300 }, [.. new short[8000], .. Burst(0.3, 600, 400)]);

        Assert.Equal(2, events.Count);
        Assert.True(events[0].IsStart);
        Assert.InRange(events[0].SpeechStart.TotalMilliseconds, 480, 520);
        Assert.False(events[1].IsStart);
        Assert.InRange(events[1].SpeechDuration.TotalMilliseconds, 580, 620);
    }

    [Fact]
    public void ShortPause_DoesNotEndTheUtterance()
    {
        var events = Run(new RealtimeInputSettings { SilenceDurationMs = 500 }, [.. Burst(0.3, 300, 200), .. Burst(0.3, 300, 700)]);

        Assert.Equal(2, events.Count);
        Assert.InRange(events[1].SpeechDuration.TotalMilliseconds, 780, 820);
    }

    [Theory]
    [InlineData("START_SENSITIVITY_HIGH", 2)]
    [InlineData("START_SENSITIVITY_LOW", 0)]
    public void QuietSpeech_OnlyHighStartSensitivityHearsIt(string sensitivity, int expected)
    {
        // About −36 dBFS RMS: above the HIGH threshold (−40), below the LOW one (−30).
        var events = Run(new RealtimeInputSettings { StartSensitivity = sensitivity, SilenceDurationMs = 200 }, Burst(0.022, 500, 400));

        Assert.Equal(expected, events.Count);
    }

    [Fact]
    public void PrefixPadding_IgnoresAClickShorterThanIt()
    {
        var settings = new RealtimeInputSettings { PrefixPaddingMs = 100, SilenceDurationMs = 200 };

        Assert.Empty(Run(settings, Burst(0.3, 40, 400)));
        Assert.Equal(2, Run(settings, Burst(0.3, 200, 400)).Count);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(24000)]
    [InlineData(44100)]
    [InlineData(12000)]
    public void AnyInputRate_IsAnalysed(int rate)
    {
        var events = Run(new RealtimeInputSettings { SilenceDurationMs = 300 }, Burst(0.3, 500, 500, rate), rate);

        Assert.Equal(2, events.Count);
        Assert.InRange(events[1].SpeechDuration.TotalMilliseconds, 460, 540);
    }

    [Fact]
    public void Flush_EndsSpeechInProgress()
    {
        var analyzer = new CallerAudioAnalyzer(new VoiceActivityDetector(VadSettings.From(new RealtimeInputSettings())));
        var events = new List<VadEvent>();
        analyzer.Process(Pcm.ToBytes(Burst(0.3, 400, 0)), 16000, events);

        var flushed = analyzer.Flush();

        Assert.Single(events);
        Assert.NotNull(flushed);
        Assert.False(flushed.Value.IsStart);
    }
}
