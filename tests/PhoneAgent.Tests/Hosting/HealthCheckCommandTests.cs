using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.Hosting;

namespace PhoneAgent.Tests.Hosting;

public sealed class HealthCheckCommandTests
{
    [Theory]
    [InlineData(null, null, null, null, "http://127.0.0.1:5050/")] // nothing configured: the development default
    [InlineData("http://0.0.0.0:8081", null, null, null, "http://127.0.0.1:8081/")]
    [InlineData("https://+:8443;http://*:8080", null, null, null, "http://127.0.0.1:8080/")] // http preferred
    [InlineData(null, "9000", null, null, "http://127.0.0.1:9000/")] // Cloud Run's PORT
    [InlineData(null, null, "8080", null, "http://127.0.0.1:8080/")] // the aspnet image's ASPNETCORE_HTTP_PORTS
    [InlineData(null, "9000", "8080", null, "http://127.0.0.1:9000/")] // PORT beats http_ports, as for the service
    [InlineData(null, null, null, "http://[::]:7000", "http://127.0.0.1:7000/")] // Kestrel:Endpoints
    [InlineData("http://10.1.2.3:8080", null, null, null, "http://10.1.2.3:8080/")] // a specific address stays
    public void Probes_the_port_the_service_listens_on(string? urls, string? port, string? httpPorts, string? kestrel, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = urls,
            ["PORT"] = port,
            ["http_ports"] = httpPorts,
            ["Kestrel:Endpoints:Main:Url"] = kestrel,
        }.Where(p => p.Value is not null)).Build();

        Assert.Equal(new Uri(expected), HealthCheckCommand.ProbeBase(configuration));
    }

    [Fact]
    public void A_port_chosen_at_start_cannot_be_probed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("urls", "http://127.0.0.1:0")]).Build();

        Assert.Throws<InvalidOperationException>(() => HealthCheckCommand.ProbeBase(configuration));
    }

    [Fact]
    public async Task Exits_0_when_healthz_answers_and_1_when_it_does_not()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        var healthy = true;
        app.MapGet("/healthz", () => healthy ? Results.Text("ok") : Results.StatusCode(503));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var (code, output) = await RunAsync("--healthcheck", "--urls", url);
        Assert.Equal(0, code);
        Assert.Contains("healthy: 200", output, StringComparison.Ordinal);

        healthy = false;
        (code, output) = await RunAsync("--urls", url, "--healthcheck");
        Assert.Equal(1, code);
        Assert.Contains("unhealthy: 503", output, StringComparison.Ordinal);

        await app.StopAsync();
        (code, output) = await RunAsync("--healthcheck", "--urls", url);
        Assert.Equal(1, code);
        Assert.Contains("unhealthy", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await HealthCheckCommand.RunAsync(args, output, output);
        return (code, output.ToString());
    }
}
