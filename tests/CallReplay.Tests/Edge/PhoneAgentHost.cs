using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PhoneAgent.CallReplay.Tests.Edge;

/// <summary>The real PhoneAgent (Development, built-in emulator) on Kestrel at 127.0.0.1:0, with extra settings.</summary>
public sealed class PhoneAgentHost : WebApplicationFactory<global::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string _dataFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "phoneagent-replay-" + Guid.NewGuid().ToString("N"))).FullName;

    public PhoneAgentHost(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel();
        StartServer();
        BaseUrl = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>
    /// Calls a method of the edge's REST call control (<c>ITwilioCallControl</c>, internal to PhoneAgent) through its
    /// DI registration, so the edge's own Twilio client acts on a CallReplay call through the fake REST API.
    /// </summary>
    public async Task<string> CallControlAsync(string method, params object[] arguments)
    {
        var type = typeof(global::Program).Assembly.GetType("PhoneAgent.Telephony.CallControl.ITwilioCallControl", throwOnError: true)!;
        var control = Services.GetRequiredService(type);
        var task = (Task)type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!.Invoke(control, [.. arguments, CancellationToken.None])!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!.ToString()!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        // The profiles copied next to this build, consistent with the PhoneAgent assembly it loaded.
        builder.UseSetting("PhoneAgent:ProfilesPath", Path.Combine(AppContext.BaseDirectory, "profiles"));
        // The shipped default switches to after-hours by the clock; these tests must not depend on the hour they run.
        builder.UseSetting("PhoneAgent:BusinessHours", "AlwaysOpen");
        // No drain when the host stops: a refused stream's admitted call would hold it for the token lifetime.
        builder.UseSetting("PhoneAgent:DrainTimeout", "00:00:00");
        // A SQLite file of this host's own, never the default one under the source tree.
        builder.UseSetting("ConnectionStrings:PhoneAgent", $"Data Source={Path.Combine(_dataFolder, "phoneagent.db")}");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Still open somewhere, or gone already; the OS cleans temp.
        }
    }
}
