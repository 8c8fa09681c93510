using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.GeminiLiveEmulator.Audio;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Audio;

public sealed class TurnTagTests
{
    [Fact]
    public void EveryTurnTone_IsDetectedAsItsTurn()
    {
        for (var turn = 1; turn <= EmulatorTurnTag.DistinctTurns; turn++)
        {
            var tone = ToneSynthesizer.Tone(EmulatorTurnTag.FrequencyHz(turn), 480);

            Assert.Equal(turn, EmulatorTurnTag.Detect(tone.AsSpan(100, 480 - 200), 24000));
        }
    }

    [Fact]
    public void Tags_SurviveTheTelephoneChannel()
    {
        for (var turn = 1; turn <= EmulatorTurnTag.DistinctTurns; turn++)
        {
            var tone = ToneSynthesizer.Tone(EmulatorTurnTag.FrequencyHz(turn), 24000 / 5);
            var resampler = StreamingResampler.Downsample24To8();
            var narrow = new short[resampler.GetOutputLength(tone.Length)];
            resampler.Process(tone, narrow);
            var mulaw = new byte[narrow.Length];
            MuLaw.Encode(narrow, mulaw);
            var decoded = new short[mulaw.Length];
            MuLaw.Decode(mulaw, decoded);

            // One 20 ms Twilio frame from the middle of the tone.
            Assert.Equal(turn, EmulatorTurnTag.Detect(decoded.AsSpan(800, 160), 8000));
        }
    }

    [Fact]
    public void SpeechAndSilence_AreNotTags()
    {
        Assert.True(ClipLibrary.Embedded.TryGet("greeting", out var clip));

        Assert.Null(EmulatorTurnTag.Detect(clip.Samples.AsSpan(12000, 4800), 24000));
        Assert.Null(EmulatorTurnTag.Detect(new short[4800], 24000));
    }

    [Fact]
    public void Tags_RepeatAfterTwentyTurns() => Assert.Equal(EmulatorTurnTag.FrequencyHz(1), EmulatorTurnTag.FrequencyHz(21));
}
