using System.Globalization;

namespace PhoneAgent.Hosting;

/// <summary>
/// Decides where the service listens when nothing else says so.
/// </summary>
/// <remarks>
/// Order: <c>Kestrel:Endpoints</c>, then <c>urls</c>, then <c>PORT</c> (http://0.0.0.0:$PORT), then
/// <c>http_ports</c>/<c>https_ports</c>, then <see cref="DefaultUrl"/>. <c>PORT</c> beats <c>http_ports</c> because the
/// official .NET container images set <c>ASPNETCORE_HTTP_PORTS=8080</c> while Cloud Run tells the container its port
/// through <c>PORT</c>.
/// </remarks>
internal static class ListenAddressResolver
{
    /// <summary>The address used when nothing is configured: loopback only, so a developer machine exposes nothing.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5050";

    /// <summary>The variable Cloud Run sets to the port the container must listen on.</summary>
    public const string PortKey = "PORT";

    public static ListenAddress Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return new ListenAddress(ListenAddressSource.KestrelEndpoints, Url: null);
        }

        if (IsSet(configuration[WebHostDefaults.ServerUrlsKey]))
        {
            return new ListenAddress(ListenAddressSource.Urls, Url: null);
        }

        if (configuration[PortKey] is { } port && IsSet(port))
        {
            return new ListenAddress(ListenAddressSource.Port, $"http://0.0.0.0:{ParsePort(port).ToString(CultureInfo.InvariantCulture)}");
        }

        if (IsSet(configuration[WebHostDefaults.HttpPortsKey]) || IsSet(configuration[WebHostDefaults.HttpsPortsKey]))
        {
            return new ListenAddress(ListenAddressSource.HttpPorts, Url: null);
        }

        return new ListenAddress(ListenAddressSource.Default, DefaultUrl);
    }

    private static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);

    private static int ParsePort(string value) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new InvalidOperationException($"{PortKey} must be a TCP port number between 1 and 65535 (got '{value}').");
}
