using Polly;
using PhoneAgent.Options;

namespace PhoneAgent.Model.Gemini;

/// <summary>Everything a <see cref="GeminiLiveSession"/> needs besides its own config; shared by the client's sessions.</summary>
internal sealed record GeminiSessionContext(
    GeminiEndpointResolver Endpoints,
    GeminiOptions Options,
    GeminiSessionDefaults Defaults,
    ResiliencePipeline ConnectPipeline,
    TimeProvider TimeProvider,
    ILoggerFactory LoggerFactory);

/// <summary>A (re)connect plan, changed between attempts by the policy (region fail-over, fresh seeding).</summary>
internal sealed class GeminiConnectPlan
{
    /// <summary>Resumption handle to send, or <see langword="null"/> for a fresh setup.</summary>
    public string? Handle { get; set; }

    /// <summary>Fresh setup seeded with the conversation so far.</summary>
    public bool Seeded { get; set; }

    public int LocationIndex { get; set; }

    public static GeminiConnectPlan Fresh(int locationIndex = 0) => new() { LocationIndex = locationIndex };

    public static GeminiConnectPlan Resume(string handle, int locationIndex) => new() { Handle = handle, LocationIndex = locationIndex };

    public static GeminiConnectPlan FreshSeeded(int locationIndex) => new() { Seeded = true, LocationIndex = locationIndex };

    /// <summary>Drop the handle and seed a fresh session instead.</summary>
    public void SeedInstead()
    {
        Handle = null;
        Seeded = true;
    }

    public override string ToString() => Handle is not null ? "resume with handle" : Seeded ? "fresh, seeded with the conversation" : "fresh";
}
