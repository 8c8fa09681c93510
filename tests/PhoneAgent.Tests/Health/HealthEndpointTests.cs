using System.Net;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_answers_200_ok()
    {
        using var factory = new PhoneAgentFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }
}
