using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.Tests.Telephony.Testing;

namespace PhoneAgent.Tests.Bridge;

/// <summary>The voice webhook with the bridge's admission, and the Prometheus endpoint.</summary>
public sealed class AdmissionAndMetricsTests
{
    [Fact]
    public async Task Beyond_the_concurrent_call_limit_a_caller_gets_the_fallback_not_a_stream()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Bridge:MaxConcurrentCalls"] = "1" });
        using var client = factory.CreateClient();

        var first = await PostVoiceAsync(client, TwilioTestSigner.NewCallSid());
        var second = await PostVoiceAsync(client, TwilioTestSigner.NewCallSid());

        Assert.Contains("<Connect", first, StringComparison.Ordinal);
        Assert.DoesNotContain("<Connect", second, StringComparison.Ordinal);
        Assert.Contains("<Say", second, StringComparison.Ordinal);
        Assert.Contains("<Enqueue>support</Enqueue>", second, StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Name == "CallRefusedFull");
    }

    [Fact]
    public async Task A_retried_webhook_of_an_admitted_call_is_not_refused()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Bridge:MaxConcurrentCalls"] = "1" });
        using var client = factory.CreateClient();
        var callSid = TwilioTestSigner.NewCallSid();

        Assert.Contains("<Connect", await PostVoiceAsync(client, callSid), StringComparison.Ordinal);
        Assert.Contains("<Connect", await PostVoiceAsync(client, callSid), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drain_waits_for_a_fresh_admission_but_not_for_one_whose_stream_ran_elsewhere()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var factory = new TwilioEdgeFactory(
            new Dictionary<string, string?> { ["Bridge:MaxConcurrentCalls"] = "1" },
            services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var client = factory.CreateClient();
        await PostVoiceAsync(client, TwilioTestSigner.NewCallSid());
        var admission = factory.Get<PhoneAgent.Bridge.BridgeCallAdmission>();

        Assert.Equal(1, admission.DrainCount(TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromSeconds(31));

        // Still holding its slot for the token's lifetime, but no longer worth a drain's wait.
        Assert.Equal(1, admission.InFlight);
        Assert.Equal(0, admission.DrainCount(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("<Connect", await PostVoiceAsync(client, TwilioTestSigner.NewCallSid()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_exported_for_prometheus_on_slash_metrics()
    {
        using var factory = new TwilioEdgeFactory(new Dictionary<string, string?> { ["Bridge:MaxConcurrentCalls"] = "1" });
        using var client = factory.CreateClient();
        await PostVoiceAsync(client, TwilioTestSigner.NewCallSid());
        await PostVoiceAsync(client, TwilioTestSigner.NewCallSid()); // refused: counted

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("phoneagent_bridge_calls_refused_total", metrics, StringComparison.Ordinal);
        Assert.Contains("reason=\"max-concurrent-calls\"", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> PostVoiceAsync(HttpClient client, string callSid)
    {
        using var request = TwilioTestSigner.SignedPost("/twilio/voice", TwilioTestSigner.VoiceForm(callSid));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
