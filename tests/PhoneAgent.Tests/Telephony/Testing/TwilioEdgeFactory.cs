using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>
/// The real app for Twilio edge tests: TestServer by default, or real Kestrel on 127.0.0.1:0 (<c>kestrel: true</c>)
/// for WebSocket tests. Settings, environment and test services are set per instance; logs are captured.
/// </summary>
public sealed class TwilioEdgeFactory : WebApplicationFactory<Program>
{
    public const string PrimaryToken = "0123456789abcdef0123456789abcdef";
    public const string SecondaryToken = "fedcba9876543210fedcba9876543210";
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string PublicBaseUrl = "https://agent.example.com";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly bool _kestrel;
    private readonly Action<IServiceCollection>? _services;

    public TwilioEdgeFactory(
        IReadOnlyDictionary<string, string?>? settings = null,
        string environment = "Development",
        bool kestrel = false,
        Action<IServiceCollection>? services = null)
    {
        _settings = new Dictionary<string, string?>(Defaults());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        if (environment != "Development" && !_settings.ContainsKey("Gemini:Backend"))
        {
            // Outside Development the model client demands credentials; these tests are about the Twilio edge.
            _settings["Gemini:Backend"] = "Emulator";
        }

        _environment = environment;
        _kestrel = kestrel;
        _services = services;
        if (kestrel)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>This app's own SQLite database.</summary>
    public AppDatabaseFolder Data { get; } = new();

    /// <summary>Settings every edge test starts from: a public base URL and known tokens and account.</summary>
    public static Dictionary<string, string?> Defaults() => new()
    {
        ["PhoneAgent:PublicBaseUrl"] = PublicBaseUrl,
        ["Twilio:AuthToken"] = PrimaryToken,
        ["Twilio:SecondaryAuthToken"] = SecondaryToken,
        ["Twilio:AccountSid"] = AccountSid,
        // The shipped default switches to after-hours by the clock; edge tests must not depend on the hour they run.
        ["PhoneAgent:BusinessHours"] = "AlwaysOpen",
    };

    /// <summary>For Kestrel: the http://127.0.0.1:port the server listens on (starts it).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address);
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:PhoneAgent", Data.ConnectionString);
        // No drain when the test host stops: a fake clock never lets an admitted call expire (drain tests set their own).
        builder.UseSetting("PhoneAgent:DrainTimeout", "00:00:00");
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_kestrel)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
        }

        builder.ConfigureLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }

        builder.ConfigureTestServices(static services => services.AddInMemorySupportStores());
    }

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
