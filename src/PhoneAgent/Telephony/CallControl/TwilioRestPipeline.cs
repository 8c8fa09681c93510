using Polly;
using Polly.Retry;
using Polly.Timeout;
using Twilio.Exceptions;

namespace PhoneAgent.Telephony.CallControl;

/// <summary>
/// The <c>twilio-rest</c> resilience pipeline: an overall timeout, retries with exponential backoff and jitter on
/// transient failures (connection errors, 429, 5xx, per-attempt timeouts), and a timeout per attempt. Runs on the
/// <see cref="TimeProvider"/> from DI, so tests drive it with a fake clock.
/// </summary>
internal static class TwilioRestPipeline
{
    public const string Name = "twilio-rest";

    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    public const int MaxRetries = 3;

    public static void Configure(ResiliencePipelineBuilder builder, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.TimeProvider = timeProvider;
        builder
            .AddTimeout(TotalTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = MaxRetries,
                Delay = FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddTimeout(AttemptTimeout);
    }

    /// <summary>Worth another try: the request may not have reached Twilio, or Twilio asked us to slow down or failed.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ApiException api => api.Status is 429 or >= 500,
        ApiConnectionException or HttpRequestException or TimeoutRejectedException => true,
        _ => false,
    };
}
