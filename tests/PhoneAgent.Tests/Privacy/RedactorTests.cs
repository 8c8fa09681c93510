using PhoneAgent.Privacy;

namespace PhoneAgent.Tests.Privacy;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("my card is 4111111111111111", "my card is [card]")] // Visa test number, bare
    [InlineData("4111 1111 1111 1111 exp 12/27", "[card] exp 12/27")]
    [InlineData("card: 5555-5555-5555-4444.", "card: [card].")]
    [InlineData("amex 3782 822463 10005 please", "amex [card] please")] // 15 digits, 4-6-5
    [InlineData("diners 3056 9309 0259 04", "diners [card]")] // 14 digits, Luhn-valid
    [InlineData("6011000990139424", "[card]")] // Discover
    [InlineData("4222222222222", "[card]")] // 13-digit Visa
    [InlineData("6759649826438453", "[card]")] // Maestro 16
    [InlineData("card 4111 1111 1111 1112 (one digit misheard)", "card [card] (one digit misheard)")] // grouped like a card: still card data
    [InlineData("two cards: 4111111111111111 and 5555555555554444", "two cards: [card] and [card]")]
    [InlineData("four one one one one one one one one one one one one one one one", "[card]")] // spoken
    [InlineData("Four, one, one, one, one, one, one, one, one, one, one, one, one, one, one, one thanks", "[card] thanks")]
    public void Card_numbers_are_replaced(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Theory]
    [InlineData("the cvv is 123", "the cvv is [cvv]")]
    [InlineData("CVC: 9876", "CVC: [cvv]")]
    [InlineData("security code 4 5 6", "security code [cvv]")]
    [InlineData("the three digits on the back are 321", "the three digits on the back are [cvv]")]
    [InlineData("card verification value is 042", "card verification value is [cvv]")]
    [InlineData("123 is my cvv", "[cvv] is my cvv")]
    [InlineData("card 4111111111111111 cvv 123 exp 12/27", "card [card] cvv [cvv] exp 12/27")]
    public void Cvv_like_codes_next_to_their_words_are_replaced(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Theory]
    [InlineData("Refund order A1001 for $129.99 please")]
    [InlineData("order number 1001, total 89.50 USD")]
    [InlineData("call me at +1 415 555 0101 after 5:30 pm")]
    [InlineData("+14155550101")]
    [InlineData("tracking 1Z999AA10123456784")] // letters in the run: not a card
    [InlineData("my postcode is SW1A 1AA and my PIN is 4321")]
    [InlineData("I paid 123 dollars on 2026-11-25")]
    [InlineData("USPS 9400 1000 0000 0000 0000 00")] // 22 digits: longer than any card
    [InlineData("reference 1234567890123")] // 13 digits, not Luhn-valid, not grouped like a card
    [InlineData("the code on my account is 123")] // no card word
    [InlineData("")]
    [InlineData("one two three")]
    public void Ordinary_numbers_survive(string input) => Assert.Equal(input, Redactor.Redact(input));

    [Fact]
    public void Luhn_checks_the_standard_examples()
    {
        Assert.True(Redactor.Luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        Assert.False(Redactor.Luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
    }

    [Fact]
    public void Redact_or_null_passes_null_through() => Assert.Null(Redactor.RedactOrNull(null));
}

public sealed class PhoneNumberMaskTests
{
    [Theory]
    [InlineData("+14155550101", "…0101")]
    [InlineData("+1 (415) 555-0199", "…0199")]
    [InlineData("12", "…12")]
    [InlineData("client:alice", "…")]
    [InlineData(null, "(none)")]
    [InlineData("", "(none)")]
    public void Last_four_shows_no_more_than_four_digits(string? phone, string expected) => Assert.Equal(expected, PhoneNumberMask.LastFour(phone));

    [Fact]
    public void The_hash_is_stable_ignores_formatting_and_hides_the_number()
    {
        var hash = PhoneNumberMask.Hash("+14155550101");

        Assert.Equal(hash, PhoneNumberMask.Hash("+1 415-555-0101"));
        Assert.NotEqual(hash, PhoneNumberMask.Hash("+14155550102"));
        Assert.Matches("^ph:[0-9a-f]{12}$", hash);
        Assert.DoesNotContain("0101", hash, StringComparison.Ordinal);
        Assert.Equal("(none)", PhoneNumberMask.Hash(null));
    }
}
