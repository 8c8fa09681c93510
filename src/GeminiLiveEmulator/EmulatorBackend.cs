namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>Which of Google's two Live back ends an endpoint speaks for.</summary>
public enum EmulatorBackend
{
    /// <summary>The Gemini Developer API (AI Studio key): <c>/ws/google.ai.generativelanguage.{v}.GenerativeService.BidiGenerateContent</c>.</summary>
    DeveloperApi,

    /// <summary>Vertex AI: <c>/ws/google.cloud.aiplatform.{v}.LlmBidiService/BidiGenerateContent</c>.</summary>
    Vertex,
}
