using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary>Voice activity detection sensitivity. No zero member: a missing value is reported as required.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SpeechSensitivity>))]
internal enum SpeechSensitivity
{
    /// <summary><c>"high"</c>: detects speech (or its end) sooner.</summary>
    High = 1,

    /// <summary><c>"low"</c>: needs clearer evidence; fewer false starts on noisy phone lines.</summary>
    Low = 2,
}
