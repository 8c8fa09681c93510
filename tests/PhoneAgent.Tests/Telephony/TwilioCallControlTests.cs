using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Telephony;
using PhoneAgent.Telephony.CallControl;
using PhoneAgent.Tests.Telephony.Testing;
using Twilio.Exceptions;
using Twilio.TwiML;

namespace PhoneAgent.Tests.Telephony;

/// <summary>REST call control (the Twilio package's CallResource) against a local fake, via Twilio:ApiBaseUrl.</summary>
public sealed class TwilioCallControlTests : IAsyncLifetime
{
    private const string CallSid = "CA11111111111111111111111111111111";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private FakeTwilioRestApi _twilio = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilioRestApi.StartAsync();
        _services = Services(new() { ["Twilio:ApiBaseUrl"] = _twilio.BaseAddress.ToString() });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task Hang_up_posts_status_completed_with_basic_auth()
    {
        var outcome = await Control.HangUpAsync(CallSid, default);

        Assert.Equal(CallControlOutcome.Done, outcome);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal((TwilioEdgeFactory.AccountSid, CallSid), (request.AccountSid, request.CallSid));
        Assert.Equal("completed", request.Form["Status"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioEdgeFactory.AccountSid}:{TwilioEdgeFactory.PrimaryToken}")), request.Authorization);
    }

    [Fact]
    public async Task Error_20404_means_the_call_had_already_ended()
    {
        _twilio.FailNext(404, 20404);

        Assert.Equal(CallControlOutcome.AlreadyEnded, await Control.HangUpAsync(CallSid, default));
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_on_the_injected_clock()
    {
        _twilio.FailNext(503, 20500);

        var hangUp = Control.HangUpAsync(CallSid, default);
        while (!hangUp.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.Equal(CallControlOutcome.Done, await hangUp);
        Assert.Equal(2, _twilio.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        _twilio.FailNext(400, 21220);

        var error = await Assert.ThrowsAsync<ApiException>(() => Control.HangUpAsync(CallSid, default));

        Assert.Equal(21220, error.Code);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task Update_sends_inline_twiml_and_redirect_sends_a_url_and_api_keys_replace_the_token()
    {
        await using var services = Services(new()
        {
            ["Twilio:ApiBaseUrl"] = _twilio.BaseAddress.ToString(),
            ["Twilio:ApiKeySid"] = "SK00000000000000000000000000000000",
            ["Twilio:ApiKeySecret"] = "api-key-secret",
        });
        var control = services.GetRequiredService<ITwilioCallControl>();

        await control.UpdateTwiMLAsync(CallSid, new VoiceResponse().Dial(number: "+15005550199"), default);
        await control.RedirectAsync(CallSid, new Uri("https://agent.example.com/twilio/transfer"), default);

        var requests = _twilio.Requests.ToArray();
        Assert.Contains("<Dial>+15005550199</Dial>", requests[0].Form["Twiml"], StringComparison.Ordinal);
        Assert.Equal("https://agent.example.com/twilio/transfer", requests[1].Form["Url"]);
        Assert.Equal("POST", requests[1].Form["Method"]);
        Assert.All(requests, r => Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("SK00000000000000000000000000000000:api-key-secret")), r.Authorization));
    }

    private ITwilioCallControl Control => _services.GetRequiredService<ITwilioCallControl>();

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TwilioEdgeFactory.Defaults()).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development })
            .AddSingleton<TimeProvider>(_time)
            .AddLogging();
        services.AddTwilioEdge();
        return services.BuildServiceProvider();
    }
}
