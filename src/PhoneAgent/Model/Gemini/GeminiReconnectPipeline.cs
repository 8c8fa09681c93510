using Polly;
using Polly.Retry;
using Polly.Timeout;
using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>
/// The (re)connect pipeline: an overall timeout around a retry with exponential backoff and jitter. Only failures
/// <see cref="GeminiClosePolicy"/> calls transient are retried; a rejected setup goes straight back to the session.
/// All waiting runs on the injected <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
internal static partial class GeminiReconnectPipeline
{
    public const string Name = "gemini-connect";

    /// <param name="options">Attempts, delays and the overall bound.</param>
    /// <param name="timeProvider">Drives the delays and the overall timeout.</param>
    /// <param name="logger">Every retry is logged with the close code and reason.</param>
    /// <param name="randomizer">Jitter source in [0, 1); tests pass a constant.</param>
    public static ResiliencePipeline Create(GeminiReconnectOptions options, TimeProvider timeProvider, ILogger logger, Func<double>? randomizer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<GeminiConnectException>(static e => e.IsTransient),
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            OnRetry = args =>
            {
                var error = args.Outcome.Exception as GeminiConnectException;
                Log.Retrying(logger, args.AttemptNumber + 1, args.RetryDelay, error?.CloseCode, error?.CloseReason ?? "", error?.Message ?? "");
                return default;
            },
        };
        if (randomizer is not null)
        {
            retry.Randomizer = randomizer;
        }

        return new ResiliencePipelineBuilder { Name = Name, TimeProvider = timeProvider }
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = options.TotalTimeout,
                OnTimeout = args =>
                {
                    Log.GaveUpAfter(logger, args.Timeout);
                    return default;
                },
            })
            .AddRetry(retry)
            .Build();
    }

    private static partial class Log
    {
        [LoggerMessage(370, LogLevel.Warning,
            "Gemini connect attempt {Attempt} failed (close {CloseCode} '{CloseReason}': {Error}); next attempt in {Delay}",
            EventName = "GeminiConnectRetry")]
        public static partial void Retrying(ILogger logger, int attempt, TimeSpan delay, int? closeCode, string closeReason, string error);

        [LoggerMessage(371, LogLevel.Error, "Gemini (re)connect gave up after {Timeout}", EventName = "GeminiConnectTimedOut")]
        public static partial void GaveUpAfter(ILogger logger, TimeSpan timeout);
    }
}
