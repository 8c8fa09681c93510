using PhoneAgent.Bridge;

namespace PhoneAgent.Tests.Bridge;

public sealed class BridgeOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_the_start_buffer_may_be_off()
    {
        Assert.True(new BridgeOptionsValidator().Validate(null, new BridgeOptions()).Succeeded);
        Assert.True(new BridgeOptionsValidator().Validate(null, new BridgeOptions { PlayoutStartBuffer = TimeSpan.Zero, PlayoutStartMaxWait = TimeSpan.Zero }).Succeeded);
    }

    [Theory]
    [InlineData(300, 40, "Bridge:PlayoutStartBuffer")] // more than the 200 ms lead
    [InlineData(100, 250, "Bridge:PlayoutStartMaxWait")]
    [InlineData(-20, 40, "Bridge:PlayoutStartBuffer")]
    public void A_start_buffer_out_of_range_is_refused_by_its_key(int bufferMs, int waitMs, string key)
    {
        var result = new BridgeOptionsValidator().Validate(null, new BridgeOptions
        {
            PlayoutStartBuffer = TimeSpan.FromMilliseconds(bufferMs),
            PlayoutStartMaxWait = TimeSpan.FromMilliseconds(waitMs),
        });

        Assert.Contains(result.Failures!, f => f.StartsWith(key + " must be between", StringComparison.Ordinal));
    }
}
