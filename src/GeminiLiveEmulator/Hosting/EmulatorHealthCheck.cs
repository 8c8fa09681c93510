namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>
/// <c>GeminiLiveEmulator --healthcheck [--urls URLS]</c>: asks <c>GET /</c> of the emulator listening at the first
/// URL, on loopback (a wildcard host such as 0.0.0.0 becomes 127.0.0.1), and exits 0 on a 2xx answer, else 1.
/// </summary>
internal static class EmulatorHealthCheck
{
    public static async Task<int> RunAsync(IReadOnlyList<string> urls, TextWriter output, TextWriter error)
    {
        var first = urls.Count > 0 ? urls[0].Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal) : "";
        if (!Uri.TryCreate(first, UriKind.Absolute, out var listen) || listen.Port <= 0)
        {
            await error.WriteLineAsync($"unhealthy: no listen URL with a fixed port to probe ('{first}')");
            return 1;
        }

        var host = listen.Host is "0.0.0.0" or "[::]" or "::" or "localhost" ? "127.0.0.1" : listen.Host;
        var probe = new UriBuilder(listen) { Host = host, Path = "/" }.Uri;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(probe);
            await (response.IsSuccessStatusCode ? output : error).WriteLineAsync(
                $"{(response.IsSuccessStatusCode ? "healthy" : "unhealthy")}: {(int)response.StatusCode} from {probe}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"unhealthy: {probe}: {e.Message}");
            return 1;
        }
    }
}
