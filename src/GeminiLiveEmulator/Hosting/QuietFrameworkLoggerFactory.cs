namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>
/// The logger factory the emulator's host uses: its own categories pass through; ASP.NET Core's (request starting,
/// endpoint executing, …) only from Warning up, so an emulator hosted inside PhoneAgent does not fill its log with
/// what look like PhoneAgent's own requests.
/// </summary>
internal sealed class QuietFrameworkLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith("Microsoft.", StringComparison.Ordinal) ? new WarningAndUp(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Not disposed here: the factory belongs to whoever passed it in.</summary>
    public void Dispose()
    {
    }

    private sealed class WarningAndUp(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
