using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace PhoneAgent.Tests.Testing;

/// <summary>
/// The real app on <c>TestServer</c> (no port), with extra settings and every log record captured. Settings go in
/// through <c>UseSetting</c>, which reaches <c>Program</c> as command-line arguments, so they are visible before
/// <c>Build()</c> as real configuration would be.
/// </summary>
public sealed class PhoneAgentFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>This app's own SQLite database.</summary>
    public AppDatabaseFolder Data { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:PhoneAgent", Data.ConnectionString);
        // No drain when the test host stops: a fake clock never lets an admitted call expire (drain tests set their own).
        builder.UseSetting("PhoneAgent:DrainTimeout", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(static services => services.AddInMemorySupportStores());

        builder.ConfigureLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace));
    }

    /// <summary>Starts the host (what <c>CreateClient</c> does first) and throws what made the start fail.</summary>
    /// <remarks>
    /// When the app fails to start, <c>WebApplicationFactory</c> sometimes reports an <see cref="ObjectDisposedException"/>
    /// instead of the real error: its deferred host asks the app's service provider for <c>IHostApplicationLifetime</c>
    /// while the app's own failed <c>Run()</c> is disposing it. The host logs the real error ("Hosting failed to
    /// start") before it disposes anything, so that log record holds the exception to throw.
    /// </remarks>
    public void Start()
    {
        try
        {
            _ = Server;
        }
        catch (ObjectDisposedException) when (StartupFailure() is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private Exception? StartupFailure() =>
        Logs.Entries.FirstOrDefault(e => e.Message == "Hosting failed to start" && e.Exception is not null)?.Exception;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Data.Delete();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Data.Delete();
    }
}
