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

    /// <summary>
    /// No model output (audio, tool call or turn end) this long after the caller's turn ends: the agent is nudged once,
    /// and if it still says nothing the model connection is resumed with its handle; 2..60 s.
    /// </summary>
    /// <value>The default value is 8 seconds.</value>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>After the <c>end_call</c> tool, the longest wait for the goodbye to be said and played before hanging up; 1..60 s.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan EndCallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Calls admitted per calling number per rolling hour on one instance; beyond it the caller gets the fallback. 1..1000 when set.</summary>
    /// <value>The default value is 20.</value>
    public int? MaxCallsPerCallerPerHour { get; set; } = 20;

    /// <summary>Optional model token budget per call; positive when set.</summary>
    /// <value>The default value is <see langword="null"/> (no budget).</value>
    public int? MaxTokensPerCall { get; set; }
}
