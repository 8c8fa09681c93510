using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Options;
using PhoneAgent.Tests.Model.Testing;
using PhoneAgent.Tests.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>Gemini options: back-end choice, validation messages that name the key, secrets kept out of logs.</summary>
public sealed class GeminiOptionsTests
{
    [Fact]
    public async Task Development_without_credentials_uses_the_emulator_and_says_so()
    {
        using var factory = new PhoneAgentFactory();
        factory.Start();

        var client = factory.Services.GetRequiredService<GeminiLiveClient>();
        Assert.Equal(GeminiBackend.Emulator, client.Choice.Backend);
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Id == 381 && e.Message.Contains("no Google credentials are configured and the environment is Development", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Id == 380);
        await Task.CompletedTask;
    }

    [Fact]
    public void Production_without_credentials_stops_the_start_naming_the_keys()
    {
        using var factory = new PhoneAgentFactory(Production());

        var exception = Assert.ThrowsAny<Exception>(factory.Start);

        Assert.Contains("Gemini:ApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Gemini:Vertex:Project", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Gemini:Backend=Emulator", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_with_the_emulator_chosen_explicitly_starts()
    {
        using var factory = new PhoneAgentFactory(Production(("Gemini:Backend", "Emulator")));

        factory.Start();

        Assert.Equal(GeminiBackend.Emulator, factory.Services.GetRequiredService<GeminiLiveClient>().Choice.Backend);
    }

    [Fact]
    public void Production_with_an_API_key_uses_the_Developer_API_and_never_logs_the_key()
    {
        const string Key = "AIzaSy-secret-key-0123456789";
        using var factory = new PhoneAgentFactory(Production(("Gemini:ApiKey", Key)));

        factory.Start();

        Assert.Equal(GeminiBackend.DeveloperApi, factory.Services.GetRequiredService<GeminiLiveClient>().Choice.Backend);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.AllText.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_settings_name_every_key()
    {
        var errors = Validate(new Dictionary<string, string?>
        {
            ["Gemini:Backend"] = "Bard",
            ["Gemini:Endpoint"] = "ftp://example.com/?key=secret-in-url",
            ["Gemini:Model"] = "models/gemini-2.5-flash",
            ["Gemini:Thinking"] = "a lot",
            ["Gemini:MaxPendingInputAudio"] = "00:00:05",
            ["Gemini:CompressionTargetTokens"] = "40000",
            ["Gemini:Reconnect:MaxRetries"] = "99",
            ["Gemini:Models:gemini-x:Thinking"] = "Sometimes",
        });

        Assert.Contains(errors, e => e.StartsWith("Gemini:Backend must be one of Vertex, DeveloperApi, Emulator", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:Endpoint must be an absolute ws, wss, http or https URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:Model must be a bare model id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:Thinking must be one of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:MaxPendingInputAudio must be between", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:CompressionTargetTokens must be positive and less than Gemini:CompressionTriggerTokens", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:Reconnect:MaxRetries must be between 0 and 20", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gemini:Models:gemini-x:Thinking must be Budget, Level or None", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("secret-in-url", StringComparison.Ordinal));
    }

    [Fact]
    public void Back_end_requirements()
    {
        Assert.Contains(Validate(new() { ["Gemini:Backend"] = "DeveloperApi" }),
            e => e.StartsWith("Gemini:ApiKey is required for Gemini:Backend=DeveloperApi", StringComparison.Ordinal));
        Assert.Contains(Validate(new() { ["Gemini:Backend"] = "Vertex" }),
            e => e.StartsWith("Gemini:Vertex:Project is required for Gemini:Backend=Vertex", StringComparison.Ordinal));
        Assert.Contains(Validate(new() { ["Gemini:Backend"] = "Vertex", ["Gemini:Vertex:Project"] = "p", ["Gemini:Vertex:CredentialsFile"] = "/no/such/key.json" }),
            e => e == "Gemini:Vertex:CredentialsFile: file '/no/such/key.json' was not found.");
        Assert.Contains(Validate(new() { ["Gemini:Backend"] = "Vertex", ["Gemini:Vertex:Project"] = "p", ["Gemini:Vertex:FallbackLocations"] = "europe-west4,US Central" }),
            e => e.Contains("(got 'US Central')", StringComparison.Ordinal));
        Assert.Empty(Validate(new() { ["Gemini:Backend"] = "Vertex", ["Gemini:Vertex:Project"] = "p", ["Gemini:Vertex:FallbackLocations"] = "europe-west4, us-east4" }));
        Assert.Empty(Validate(new() { ["Gemini:Backend"] = "Vertex", ["Gemini:ApiKey"] = "express-key" }));
        Assert.Empty(Validate(new() { ["Gemini:Backend"] = "DeveloperApi", ["Gemini:Endpoint"] = "ws://127.0.0.1:8080" }));
    }

    [Fact]
    public async Task Fallback_locations_bind_from_an_array_or_one_comma_separated_value()
    {
        await using var array = GeminiTestHost.Create(null, new Dictionary<string, string?>
        {
            ["Gemini:Vertex:FallbackLocations:0"] = "europe-west4",
            ["Gemini:Vertex:FallbackLocations:1"] = "us-east4",
        });
        await using var scalar = GeminiTestHost.Create(null, new Dictionary<string, string?> { ["Gemini:Vertex:FallbackLocations"] = "europe-west4, us-east4" });

        Assert.Equal(["europe-west4", "us-east4"], array.Services.GetRequiredService<IOptions<GeminiOptions>>().Value.Vertex.FallbackLocations);
        Assert.Equal(["europe-west4", "us-east4"], scalar.Services.GetRequiredService<IOptions<GeminiOptions>>().Value.Vertex.FallbackLocations);
    }

    [Fact]
    public async Task Capability_overrides_merge_over_the_built_in_table()
    {
        await using var host = GeminiTestHost.Create(null, new Dictionary<string, string?>
        {
            ["Gemini:Model"] = "gemini-3.1-flash-live-preview",
            ["Gemini:Models:gemini-3.1-flash-live-preview:MidSessionClientContent"] = "true",
        });

        var client = host.Services.GetRequiredService<GeminiLiveClient>();

        Assert.Equal(GeminiModelCatalog.Live31 with { MidSessionClientContent = true }, client.Capabilities);
        await using var session = client.Open(new ModelSessionConfig());
        Assert.True(session.Features.AcceptsConversationContent);
        session.SendContent(ModelContent.ModelNote("accepted"));
    }

    [Fact]
    public async Task Content_is_refused_for_a_model_that_does_not_accept_it_mid_session()
    {
        await using var host = GeminiTestHost.Create(null, new Dictionary<string, string?> { ["Gemini:Model"] = "gemini-3.1-flash-live-preview" });
        await using var session = host.Client.Open(new ModelSessionConfig());

        Assert.False(session.Features.AcceptsConversationContent);
        var error = Assert.Throws<NotSupportedException>(() => session.SendContent(ModelContent.ModelNote("[interrupted: the caller heard only 'Thanks']")));
        Assert.Contains("Gemini:Models:gemini-3.1-flash-live-preview:MidSessionClientContent", error.Message, StringComparison.Ordinal);
        session.SendText("the caller pressed 3");
    }

    /// <summary>Production with the Twilio settings it requires, so only Gemini's rules decide.</summary>
    private static Dictionary<string, string?> Production(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Twilio:AuthToken"] = "twilio-token",
            ["Twilio:AccountSid"] = "AC" + new string('0', 32),
            ["PhoneAgent:PublicBaseUrl"] = "https://agent.example.com",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static List<string> Validate(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Gemini:ApiKey", null);
        // Options only: no session is opened, so no endpoint is needed.
        var host = GeminiTestHost.Create(null, settings, loopbackOnly: false);
        try
        {
            _ = host.Services.GetRequiredService<IOptions<GeminiOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
