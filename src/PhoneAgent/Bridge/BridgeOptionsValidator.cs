using Microsoft.Extensions.Options;

namespace PhoneAgent.Bridge;

/// <summary>Validates <see cref="BridgeOptions"/> at start; every message names the key.</summary>
internal sealed class BridgeOptionsValidator : IValidateOptions<BridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, nameof(BridgeOptions.PlayoutLead), options.PlayoutLead, TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(1));
        Range(errors, nameof(BridgeOptions.PlayoutStartBuffer), options.PlayoutStartBuffer, TimeSpan.Zero, options.PlayoutLead);
        Range(errors, nameof(BridgeOptions.PlayoutStartMaxWait), options.PlayoutStartMaxWait, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        Range(errors, nameof(BridgeOptions.SilenceFillAfter), options.SilenceFillAfter, TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(1));
        Range(errors, nameof(BridgeOptions.AudioStreamEndAfter), options.AudioStreamEndAfter, options.SilenceFillAfter + TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));
        Range(errors, nameof(BridgeOptions.MaxBufferedAgentAudio), options.MaxBufferedAgentAudio, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
        Range(errors, nameof(BridgeOptions.CloseTimeout), options.CloseTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        if (options.UpstreamBatchFrames is < 1 or > 5)
        {
            errors.Add($"{BridgeOptions.Key(nameof(BridgeOptions.UpstreamBatchFrames))} must be between 1 and 5 (got {options.UpstreamBatchFrames}).");
        }

        if (options.MaxConcurrentCalls is < 1 or > 10_000)
        {
            errors.Add($"{BridgeOptions.Key(nameof(BridgeOptions.MaxConcurrentCalls))} must be between 1 and 10000 (got {options.MaxConcurrentCalls}).");
        }

        if (!Enum.IsDefined(options.HeardTextNote))
        {
            errors.Add($"{BridgeOptions.Key(nameof(BridgeOptions.HeardTextNote))} must be Immediate, AfterNextTurnComplete or Off.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{BridgeOptions.Key(property)} must be between {min:c} and {max:c} (got {value:c}).");
        }
    }
}
