namespace PhoneAgent.AgentProfiles;

/// <summary><c>limits</c>: bounds on one call.</summary>
internal sealed record CallLimits
{
    /// <summary>Exclusive upper bound of <see cref="MaxCallDuration"/>.</summary>
    public static readonly TimeSpan MaxCallDurationLimit = TimeSpan.FromMinutes(60);

    /// <summary>Lower bound of <see cref="IdleRepromptAfter"/>.</summary>
    public static readonly TimeSpan MinIdleRepromptAfter = TimeSpan.FromSeconds(60);

    public const int MaxIdleReprompts = 10;

    /// <summary>The call ends (through the fallback) after this long; less than 01:00:00.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Silence from the caller after which the agent prompts again; at least 00:01:00.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan IdleRepromptAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times the agent prompts a silent caller before the fallback, 0..10.</summary>
    /// <value>The default value is 2.</value>
    public int IdleRepromptMax { get; set; } = 2;

    /// <summary>Optional model token budget per call; positive when set.</summary>
    /// <value>The default value is <see langword="null"/> (no budget).</value>
    public int? MaxTokensPerCall { get; set; }
}
