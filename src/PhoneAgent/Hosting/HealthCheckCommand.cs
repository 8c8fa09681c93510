namespace PhoneAgent.Hosting;

/// <summary>
/// <c>PhoneAgent --healthcheck</c>: the container's health check. Runtime images carry no curl, so the app probes
/// itself: it reads the same configuration the service would (appsettings, environment, command line), works out the
/// port the service listens on, asks <c>GET /healthz</c> on loopback and exits 0 (healthy) or 1. No web host starts.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Switch = "--healthcheck";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args.Contains(Switch, StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        // The switch has no value; left in, the command-line provider would take the next argument as its value.
        var rest = args.Where(a => !string.Equals(a, Switch, StringComparison.Ordinal)).ToArray();
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = rest }).Configuration;

        Uri probe;
        try
        {
            probe = new Uri(ProbeBase(configuration), Health.HealthEndpoints.Path);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"unhealthy: {e.Message}");
            return 1;
        }

        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(probe);
            if (response.IsSuccessStatusCode)
            {
                await output.WriteLineAsync($"healthy: {(int)response.StatusCode} from {probe}");
                return 0;
            }

            await error.WriteLineAsync($"unhealthy: {(int)response.StatusCode} from {probe}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"unhealthy: {probe}: {e.Message}");
            return 1;
        }
    }

    /// <summary>The loopback base URL of the service's first http listener (https only when nothing else is configured).</summary>
    /// <exception cref="InvalidOperationException">No listener can be probed (e.g. port 0).</exception>
    public static Uri ProbeBase(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var address = ListenAddressResolver.Resolve(configuration);
        IEnumerable<string> urls = address.Source switch
        {
            ListenAddressSource.KestrelEndpoints => configuration.GetSection("Kestrel:Endpoints").GetChildren()
                .Select(e => e["Url"]).OfType<string>(),
            ListenAddressSource.Urls => Split(configuration[WebHostDefaults.ServerUrlsKey]),
            ListenAddressSource.HttpPorts => Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => "http://127.0.0.1:" + p)
                .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => "https://127.0.0.1:" + p)),
            _ => [address.Url!],
        };

        var candidates = urls.Select(Loopback).OfType<Uri>().ToList();
        return candidates.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp)
            ?? candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"no listen address with a fixed port to probe (source: {address.Source})");
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A listen URL turned into the address to reach it from inside the same machine; null when it has no fixed port.</summary>
    private static Uri? Loopback(string url)
    {
        // Kestrel accepts the wildcard hosts "*" and "+", which Uri does not parse.
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return null;
        }

        var wildcard = uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost";
        var builder = new UriBuilder(uri) { Host = wildcard ? "127.0.0.1" : uri.Host, Path = "/" };
        return builder.Uri;
    }
}
