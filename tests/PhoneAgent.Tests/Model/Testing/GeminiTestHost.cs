using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Model.Testing;

/// <summary>
/// The Gemini client as the app registers it (<c>AddGeminiLive</c>), from in-memory settings, pointed at a test
/// server. Fast reconnect settings unless a test overrides them.
/// </summary>
public sealed class GeminiTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly CapturingLoggerProvider _logs;

    private GeminiTestHost(ServiceProvider services, CapturingLoggerProvider logs)
    {
        _services = services;
        _logs = logs;
    }

    public IServiceProvider Services => _services;

    public IRealtimeModelClient Client => _services.GetRequiredService<IRealtimeModelClient>();

    public static GeminiTestHost Create(Uri? endpoint, IDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null, string environment = "Development", Action<IServiceCollection>? services = null, bool loopbackOnly = true)
    {
        var values = new Dictionary<string, string?>
        {
            ["Gemini:Backend"] = "DeveloperApi",
            ["Gemini:ApiKey"] = "test-key",
            ["Gemini:ConnectTimeout"] = "00:00:03",
            ["Gemini:CloseTimeout"] = "00:00:01",
            ["Gemini:Reconnect:BaseDelay"] = "00:00:00.010",
            ["Gemini:Reconnect:MaxDelay"] = "00:00:00.050",
            ["Gemini:Reconnect:MaxRetries"] = "3",
            ["Gemini:Reconnect:TotalTimeout"] = "00:00:10",
        };
        if (endpoint is not null)
        {
            values["Gemini:Endpoint"] = endpoint.ToString();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        if (endpoint is null && loopbackOnly && !values.ContainsKey("Gemini:Endpoint") && !string.Equals(values["Gemini:Backend"], "Emulator", StringComparison.OrdinalIgnoreCase))
        {
            // Never Google: a session opened by accident meets a closed loopback port.
            values["Gemini:Endpoint"] = ClosedLoopbackEndpoint().ToString();
        }

        var collection = new ServiceCollection();
        var logs = new CapturingLoggerProvider();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        collection.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment, ApplicationName = "PhoneAgent.Tests", ContentRootPath = AppContext.BaseDirectory });
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (timeProvider is not null)
        {
            collection.TryAddSingleton(timeProvider);
        }

        collection.AddGeminiLive();
        services?.Invoke(collection);
        return new GeminiTestHost(collection.BuildServiceProvider(), logs);
    }

    /// <summary>A loopback URL on a port that was free a moment ago and has no listener (connects are refused).</summary>
    public static Uri ClosedLoopbackEndpoint()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"ws://127.0.0.1:{port}");
    }

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyCollection<CapturedLog> Log => _logs.Entries;

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
