using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PhoneAgent.Hosting;

internal static class ListenAddressWebHostBuilderExtensions
{
    /// <summary>
    /// Applies <see cref="ListenAddressResolver"/>: Cloud Run's <c>PORT</c>, else http://127.0.0.1:5050 when no address is
    /// configured. The decision is registered so <see cref="StartupReport"/> can log it.
    /// </summary>
    public static IWebHostBuilder UseDefaultListenAddress(this IWebHostBuilder webHost, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(webHost);

        var address = ListenAddressResolver.Resolve(configuration);
        if (address.Url is { } url)
        {
            webHost.UseUrls(url);
        }

        webHost.ConfigureServices(services => services.TryAddSingleton(address));
        return webHost;
    }
}
