using PhoneAgent.CallReplay.Playback;
using PhoneAgent.CallReplay.Tests.Testing;

namespace PhoneAgent.CallReplay.Tests.Playback;

public sealed class TurnTagsTests
{
    [Theory]
    [InlineData("t3.f120", 3, false)]
    [InlineData("t12.f7.end", 12, true)]
    [InlineData("turn-3", 3, false)]
    [InlineData("turn-3:chunk-9", 3, false)]
    [InlineData("turn-4:end", 4, true)]
    [InlineData("turn_5", 5, false)]
    public void Mark_names_carrying_a_turn_are_read(string name, int turn, bool final)
    {
        Assert.True(TurnTags.TryParseMark(name, out var parsed, out var isFinal));
        Assert.Equal((turn, final), (parsed, isFinal));
    }

    [Theory]
    [InlineData("utt-7")]
    [InlineData("tx.f1")]
    [InlineData("turnip")]
    [InlineData("")]
    [InlineData("t3")]
    public void Other_mark_names_carry_no_turn(string name) => Assert.False(TurnTags.TryParseMark(name, out _, out _));

    [Fact]
    public void Every_tag_tone_is_recognised_and_nothing_else_is()
    {
        for (var turn = 0; turn < TurnTags.ToneCount; turn++)
        {
            var tone = Audio.Bursts(20, TurnTags.ToneFrequencyHz(turn), (0, 20));
            Assert.Equal(turn, TurnTags.DetectTone(tone));
        }

        Assert.Null(TurnTags.DetectTone(Audio.Silence(20)));
        Assert.Null(TurnTags.DetectTone(Audio.Bursts(20, 450, (0, 20))));               // between two tags
        Assert.Null(TurnTags.DetectTone(Mix(Audio.Bursts(20, 500, (0, 20)), Audio.Bursts(20, 1300, (0, 20)))));
        Assert.Null(TurnTags.DetectTone(Audio.Bursts(10, 500, (0, 10))));               // shorter than a frame
    }

    private static byte[] Mix(byte[] a, byte[] b)
    {
        var mixed = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            mixed[i] = AudioCodec.MuLaw.Encode((short)((AudioCodec.MuLaw.Decode(a[i]) + AudioCodec.MuLaw.Decode(b[i])) / 2));
        }

        return mixed;
    }
}
