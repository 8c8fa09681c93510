using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.Telephony;
using PhoneAgent.Tests.Telephony.Testing;

namespace PhoneAgent.Tests.Telephony;

/// <summary>
/// Signature checks against vectors computed by Twilio's own Node helper (Fixtures/make-signature-vectors.mjs):
/// every webhook vector through the real endpoint filter, every upgrade vector through the media endpoint in both
/// <c>Twilio:StreamSignature</c> modes.
/// </summary>
public sealed class SignatureVectorTests
{
    [Fact]
    public void Test_signer_matches_twilio_node()
    {
        // The tampered vector's params were changed after signing, on purpose.
        foreach (var vector in SignatureVectors.All.Where(v => v.Name != "voice-tampered-param"))
        {
            Assert.Equal(vector.Signature, TwilioTestSigner.Sign(SignatureVectors.Tokens[vector.Token], vector.SignedUrl, vector.Params));
        }
    }

    [Theory]
    [MemberData(nameof(WebhookVectors))]
    public async Task Webhook_vector_is_accepted_or_refused_with_403(string name)
    {
        var vector = SignatureVectors.Named(name);
        using var factory = FactoryFor(vector);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(vector.Path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(vector.Params),
        };
        request.Headers.Add("X-Twilio-Signature", vector.Signature);

        using var response = await client.SendAsync(request);

        Assert.Equal(vector.NodeValidateRequest, vector.Valid);
        if (vector.Valid)
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{name}: {response.StatusCode}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("/twilio/voice")]
    [InlineData("/twilio/connect-action")]
    [InlineData("/twilio/call-status")]
    [InlineData("/twilio/stream-status")]
    public async Task Webhook_without_signature_gets_403_before_anything_else(string path)
    {
        using var factory = new TwilioEdgeFactory();
        using var client = factory.CreateClient();

        // No form at all: a handler would answer 400; the filter answers first.
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_signature_ignores_host_and_forwarded_headers()
    {
        using var factory = new TwilioEdgeFactory();
        using var client = factory.CreateClient();
        var form = TwilioTestSigner.VoiceForm(TwilioTestSigner.NewCallSid());
        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri("/twilio/voice", UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        forged.Headers.Host = "attacker.example.net";
        forged.Headers.Add("X-Forwarded-Host", "attacker.example.net");
        forged.Headers.Add("X-Forwarded-Proto", "https");
        forged.Headers.Add("X-Twilio-Signature", TwilioTestSigner.Sign(TwilioEdgeFactory.PrimaryToken, "https://attacker.example.net/twilio/voice", form));
        using var honest = TwilioTestSigner.SignedPost("/twilio/voice", form);
        honest.Headers.Host = "attacker.example.net";

        using var forgedResponse = await client.SendAsync(forged);
        using var honestResponse = await client.SendAsync(honest);

        Assert.Equal(HttpStatusCode.Forbidden, forgedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, honestResponse.StatusCode);
    }

    [Theory]
    [MemberData(nameof(UpgradeVectors))]
    public async Task Upgrade_vector_in_enforce_mode_gets_403_before_the_socket(string name)
    {
        var vector = SignatureVectors.Named(name);
        using var factory = FactoryFor(vector);
        using var metrics = new MetricRecorder(factory.Get<IMeterFactory>());
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Upgrade(vector));

        // A valid signature passes to the WebSocket check (a plain GET is not an upgrade: 400); an invalid one stops at 403.
        Assert.Equal(vector.Valid ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, metrics.Sum("phoneagent.twilio.stream.upgrade_signatures", "variant", ExpectedVariantTag(vector)));
    }

    [Theory]
    [MemberData(nameof(UpgradeVectors))]
    public async Task Upgrade_vector_in_report_only_mode_is_counted_and_let_through(string name)
    {
        var vector = SignatureVectors.Named(name);
        using var factory = FactoryFor(vector, new() { ["Twilio:StreamSignature"] = "ReportOnly" });
        using var metrics = new MetricRecorder(factory.Get<IMeterFactory>());
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Upgrade(vector));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, metrics.Sum("phoneagent.twilio.stream.upgrade_signatures", "variant", ExpectedVariantTag(vector)));
        Assert.Equal(1, metrics.Sum("phoneagent.twilio.stream.upgrade_signatures", "mode", "report-only"));
    }

    [Fact]
    public async Task Upgrade_without_signature_gets_403_in_enforce_mode_and_counts_missing()
    {
        using var factory = new TwilioEdgeFactory();
        using var metrics = new MetricRecorder(factory.Get<IMeterFactory>());
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/twilio/media", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, metrics.Sum("phoneagent.twilio.stream.upgrade_signatures", "variant", "missing"));
    }

    [Fact]
    public void Upgrade_url_variants_are_the_ones_twilio_helpers_try_plus_slash_and_443()
    {
        var variants = TwilioSignatureValidator.UpgradeUrlVariants("wss://agent.example.com/twilio/media").Select(v => v.Url).ToArray();
        Assert.Equal(
            [
                "wss://agent.example.com/twilio/media",
                "wss://agent.example.com/twilio/media/",
                "wss://agent.example.com:443/twilio/media",
                "wss://agent.example.com:443/twilio/media/",
                "wss://agent.example.com:80/twilio/media",
            ],
            variants);

        var withPort = TwilioSignatureValidator.UpgradeUrlVariants("wss://agent.example.com:8443/phone/twilio/media").Select(v => v.Url).ToArray();
        Assert.Equal("wss://agent.example.com/phone/twilio/media", withPort[2]);
    }

    public static TheoryData<string> WebhookVectors() => SignatureVectors.Names("webhook");

    public static TheoryData<string> UpgradeVectors() => SignatureVectors.Names("upgrade");

    private static TwilioEdgeFactory FactoryFor(SignatureVector vector, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["PhoneAgent:PublicBaseUrl"] = vector.PublicBaseUrl };
        if (vector.Token == "development")
        {
            // Development with no configured token: the well-known development token applies.
            settings["Twilio:AuthToken"] = null;
            settings["Twilio:SecondaryAuthToken"] = null;
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new TwilioEdgeFactory(settings);
    }

    private static HttpRequestMessage Upgrade(SignatureVector vector)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(vector.Path, UriKind.Relative));
        request.Headers.Add("X-Twilio-Signature", vector.Signature);
        return request;
    }

    private static string ExpectedVariantTag(SignatureVector vector) => vector.Variant switch
    {
        null => "none",
        "helper-port" => "helper-port-80",
        var v => v,
    };
}
