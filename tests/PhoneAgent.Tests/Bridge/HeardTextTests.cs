using PhoneAgent.Bridge;

namespace PhoneAgent.Tests.Bridge;

public sealed class HeardTextTests
{
    [Theory]
    [InlineData(0.0, "")]
    [InlineData(0.38, "aaa bbb ccc")]
    [InlineData(0.40, "aaa bbb ccc ddd")]
    [InlineData(0.41, "aaa bbb ccc ddd")]
    [InlineData(1.0, "aaa bbb ccc ddd eee fff ggg hhh iii jjj")]
    public void Cuts_at_the_fraction_and_rounds_down_to_a_whole_word(double fraction, string expected) =>
        Assert.Equal(expected, HeardText.Cut("aaa bbb ccc ddd eee fff ggg hhh iii jjj", fraction));

    [Fact]
    public void Forty_percent_of_a_ten_word_reply_is_about_four_words()
    {
        var heard = HeardText.Cut(" Your order A17 shipped yesterday and should arrive by Friday.", 0.4);
        var words = heard.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(words, 3, 5);
        Assert.StartsWith("Your order", heard, StringComparison.Ordinal);
    }

    [Fact]
    public void Fraction_is_heard_over_received_clamped()
    {
        Assert.Equal(0.4, HeardText.Fraction(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1)), 6);
        Assert.Equal(1, HeardText.Fraction(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Equal(0, HeardText.Fraction(TimeSpan.FromSeconds(1), TimeSpan.Zero));
    }

    [Fact]
    public void Note_quotes_what_was_heard()
    {
        Assert.Equal("[interrupted: the caller heard only 'Your order A17']", HeardText.Note("Your order A17"));
        Assert.Equal("[interrupted: the caller heard nothing of this answer]", HeardText.Note(""));
    }
}
