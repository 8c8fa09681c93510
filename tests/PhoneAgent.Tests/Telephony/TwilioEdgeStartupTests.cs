using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PhoneAgent.Telephony;
using PhoneAgent.Tests.Telephony.Testing;

namespace PhoneAgent.Tests.Telephony;

/// <summary>Configuration rules of the edge: Development defaults, Production demands, secrets never logged, readiness.</summary>
public sealed class TwilioEdgeStartupTests
{
    [Fact]
    public void Validation_off_outside_development_refuses_to_start()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Twilio:ValidateRequests"] = "false" }, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains("Twilio:ValidateRequests=false is only allowed in the Development environment", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_needs_the_token_the_account_and_the_public_url()
    {
        using var factory = new TwilioEdgeFactory(
            new Dictionary<string, string?> { ["Twilio:AuthToken"] = null, ["Twilio:SecondaryAuthToken"] = null, ["Twilio:AccountSid"] = null, ["PhoneAgent:PublicBaseUrl"] = null },
            environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains("Twilio:AuthToken is required outside Development", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Twilio:AccountSid is required outside Development", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("PhoneAgent:PublicBaseUrl is required outside Development", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_when_configured_and_secrets_are_never_logged()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Twilio:ApiKeySid"] = "SK00000000000000000000000000000000", ["Twilio:ApiKeySecret"] = "api-secret-5f0c1d" }, environment: "Production");
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(TwilioTestSigner.NewCallSid())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Message.StartsWith("Twilio edge: PublicBaseUrl=https://agent.example.com, ValidateRequests=True, StreamSignature=Enforce, signing tokens=2", StringComparison.Ordinal));
        Assert.All(factory.Logs.Entries, e =>
        {
            Assert.DoesNotContain(TwilioEdgeFactory.PrimaryToken, e.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(TwilioEdgeFactory.SecondaryToken, e.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("api-secret-5f0c1d", e.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("+14155550100", e.AllText, StringComparison.Ordinal); // the caller's number is PII
        });
    }

    [Fact]
    public async Task Development_without_a_token_or_url_uses_the_well_known_token_and_the_listen_address()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Twilio:AuthToken"] = null, ["Twilio:SecondaryAuthToken"] = null, ["Twilio:AccountSid"] = null, ["PhoneAgent:PublicBaseUrl"] = null });
        using var client = factory.CreateClient();
        var form = TwilioTestSigner.VoiceForm(TwilioTestSigner.NewCallSid(), accountSid: TwilioDefaults.DevelopmentAccountSid);

        // No PublicBaseUrl in Development: the base comes from the listen address (http://127.0.0.1:5050 by default).
        var derived = factory.Get<TwilioPublicUrls>().BaseUrl;
        using var response = await client.SendAsync(TwilioTestSigner.SignedPost("/twilio/voice", form, TwilioDefaults.DevelopmentAuthToken, derived));

        Assert.StartsWith("http://", derived, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"url=\"ws://{derived[7..]}/twilio/media\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Name == "DevelopmentAuthToken");
    }

    [Fact]
    public async Task Validation_can_be_switched_off_in_development()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Twilio:ValidateRequests"] = "false" });
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/twilio/voice", UriKind.Relative), new FormUrlEncodedContent(TwilioTestSigner.VoiceForm(TwilioTestSigner.NewCallSid())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Name == "ValidationOff");
    }

    [Fact]
    public async Task Readyz_is_ready_until_the_service_starts_draining()
    {
        var hold = new HoldShutdown();
        using var factory = new TwilioEdgeFactory(services: s => s.AddSingleton<IHostedService>(hold));
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await hold.Stopping.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var draining = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        hold.Release.SetResult();

        Assert.Equal((HttpStatusCode.OK, "ready"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "draining"), (draining.StatusCode, await draining.Content.ReadAsStringAsync()));
    }

    /// <summary>Holds the host in its stopping phase (as calls in flight would) so the test can ask /readyz.</summary>
    private sealed class HoldShutdown : IHostedService
    {
        public TaskCompletionSource Stopping { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Stopping.TrySetResult();
            return Release.Task.WaitAsync(cancellationToken);
        }
    }
}
