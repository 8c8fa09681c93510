namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>One WebSocket path the emulator serves, and what it implies for the protocol.</summary>
internal sealed record LiveEndpoint(EmulatorBackend Backend, string Version, bool Constrained)
{
    public static IReadOnlyList<LiveEndpoint> All { get; } =
    [
        new(EmulatorBackend.DeveloperApi, "v1", false),
        new(EmulatorBackend.DeveloperApi, "v1beta", false),
        new(EmulatorBackend.DeveloperApi, "v1alpha", false),
        new(EmulatorBackend.DeveloperApi, "v1", true),
        new(EmulatorBackend.DeveloperApi, "v1beta", true),
        new(EmulatorBackend.DeveloperApi, "v1alpha", true),
        new(EmulatorBackend.Vertex, "v1", false),
        new(EmulatorBackend.Vertex, "v1beta1", false),
    ];

    public bool IsVertex => Backend == EmulatorBackend.Vertex;

    public string Path => Backend == EmulatorBackend.Vertex
        ? $"/ws/google.cloud.aiplatform.{Version}.LlmBidiService/BidiGenerateContent"
        : $"/ws/google.ai.generativelanguage.{Version}.GenerativeService.BidiGenerateContent{(Constrained ? "Constrained" : "")}";
}
