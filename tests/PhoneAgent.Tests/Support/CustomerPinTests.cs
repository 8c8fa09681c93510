using PhoneAgent.Data;
using PhoneAgent.Support;

namespace PhoneAgent.Tests.Support;

public sealed class CustomerPinTests
{
    [Fact]
    public void A_hash_verifies_its_pin_and_nothing_else()
    {
        var stored = CustomerPin.Hash("4321", iterations: 1000);

        Assert.Matches(@"^pbkdf2-sha256\$1000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$", stored);
        Assert.True(CustomerPin.Verify("4321", stored));
        Assert.True(CustomerPin.Verify("4 3 2 1", stored)); // said with pauses
        Assert.False(CustomerPin.Verify("4322", stored));
        Assert.False(CustomerPin.Verify("", stored));
        Assert.False(CustomerPin.Verify(null, stored));
        Assert.NotEqual(stored, CustomerPin.Hash("4321", iterations: 1000)); // salted
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4321")]
    [InlineData("sha1$1000$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$$")]
    public void A_malformed_or_missing_hash_never_matches(string? stored) => Assert.False(CustomerPin.Verify("4321", stored));

    [Fact]
    public void The_demo_hashes_match_the_documented_pins()
    {
        foreach (var customer in DemoData.Customers)
        {
            Assert.True(CustomerPin.Verify(customer.Pin, customer.PinHash), customer.Id);
            Assert.StartsWith($"pbkdf2-sha256${CustomerPin.DefaultIterations}$", customer.PinHash, StringComparison.Ordinal);
        }
    }
}
