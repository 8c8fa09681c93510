using Microsoft.Extensions.Configuration;
using PhoneAgent.Hosting;

namespace PhoneAgent.Tests.Hosting;

public sealed class ListenAddressResolverTests
{
    [Fact]
    public void Nothing_configured_listens_on_loopback_5050()
    {
        var address = Resolve();

        Assert.Equal(new ListenAddress(ListenAddressSource.Default, "http://127.0.0.1:5050"), address);
    }

    [Theory]
    [InlineData("urls")]
    [InlineData("Urls")]
    [InlineData("URLS")] // ASPNETCORE_URLS / DOTNET_URLS with the prefix stripped
    public void Configured_urls_stand(string key)
    {
        var address = Resolve((key, "http://localhost:6000"));

        Assert.Equal(new ListenAddress(ListenAddressSource.Urls, Url: null), address);
    }

    [Fact]
    public void Urls_from_the_command_line_stand()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(["--urls", "http://localhost:6000"]).Build();

        Assert.Equal(ListenAddressSource.Urls, ListenAddressResolver.Resolve(configuration).Source);
    }

    [Theory]
    [InlineData("http_ports")]
    [InlineData("HTTP_PORTS")] // ASPNETCORE_HTTP_PORTS
    [InlineData("https_ports")]
    public void Configured_ports_stand(string key)
    {
        var address = Resolve((key, "8080"));

        Assert.Equal(new ListenAddress(ListenAddressSource.HttpPorts, Url: null), address);
    }

    [Fact]
    public void Kestrel_endpoints_stand()
    {
        var address = Resolve(("Kestrel:Endpoints:Http:Url", "http://localhost:6000"));

        Assert.Equal(new ListenAddress(ListenAddressSource.KestrelEndpoints, Url: null), address);
    }

    [Fact]
    public void Cloud_Run_PORT_listens_on_every_interface()
    {
        var address = Resolve(("PORT", "8081"));

        Assert.Equal(new ListenAddress(ListenAddressSource.Port, "http://0.0.0.0:8081"), address);
    }

    [Fact]
    public void PORT_wins_over_the_container_image_http_ports()
    {
        var address = Resolve(("PORT", "9000"), ("http_ports", "8080"));

        Assert.Equal("http://0.0.0.0:9000", address.Url);
    }

    [Fact]
    public void Explicit_urls_win_over_PORT()
    {
        var address = Resolve(("PORT", "9000"), ("urls", "http://localhost:6000"));

        Assert.Equal(ListenAddressSource.Urls, address.Source);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_settings_count_as_not_configured(string blank)
    {
        var address = Resolve(("urls", blank), ("PORT", blank), ("http_ports", blank));

        Assert.Equal(ListenAddressSource.Default, address.Source);
    }

    [Theory]
    [InlineData("eighty")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    public void Invalid_PORT_fails_naming_the_variable(string port)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Resolve(("PORT", port)));

        Assert.Equal($"PORT must be a TCP port number between 1 and 65535 (got '{port}').", exception.Message);
    }

    private static ListenAddress Resolve(params (string Key, string Value)[] settings) =>
        ListenAddressResolver.Resolve(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build());
}
