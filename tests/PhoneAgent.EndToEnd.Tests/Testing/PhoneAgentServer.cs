using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.CallReplay;
using PhoneAgent.CallReplay.Calls;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>The real PhoneAgent on Kestrel 127.0.0.1:0 (never a fixed port), pointed at a model endpoint.</summary>
public sealed class PhoneAgentServer : WebApplicationFactory<Program>
{
    public const string PublicBaseUrl = "https://agent.example.com";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public PhoneAgentServer(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["PhoneAgent:PublicBaseUrl"] = PublicBaseUrl,
            ["Twilio:AuthToken"] = CallReplayDefaults.DevelopmentAuthToken,
            ["Gemini:Reconnect:MaxRetries"] = "2",
            ["Gemini:Reconnect:BaseDelay"] = "00:00:00.050",
            ["Gemini:Reconnect:TotalTimeout"] = "00:00:03",
            ["ConnectionStrings:PhoneAgent"] = $"Data Source={Path.Combine(DataFolder, "phoneagent.db")}",
            // The shipped default profile hands over to after-hours outside New York office hours: tests choose the hour.
            ["PhoneAgent:BusinessHours"] = "AlwaysOpen",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        _services = services;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>This server's own folder for its SQLite database (demo data seeded: the Development environment).</summary>
    public string DataFolder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "phoneagent-e2e-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>http://127.0.0.1:port (starts the server).</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }

    /// <summary>A caller for this server: signed webhooks to the public URLs mapped onto the real address, TwiML waits instant.</summary>
    public FakeTwilioCallerOptions CallerOptions() => FakeTwilioCallerOptions.ForPhoneAgent(Address, new Uri(PublicBaseUrl)) with
    {
        TwimlTimeScale = 0,
        HangupAfter = TimeSpan.FromSeconds(1),
        MaxDuration = TimeSpan.FromSeconds(40),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("urls", "http://127.0.0.1:0");
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteDataFolder();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteDataFolder();
    }

    private void DeleteDataFolder()
    {
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted already (Dispose after DisposeAsync).
        }
        catch (IOException)
        {
            // Still open somewhere; the OS cleans temp.
        }
    }
}
