using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary><c>tools.holdCue.kind</c>.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HoldCueKind>))]
internal enum HoldCueKind
{
    /// <summary><c>"tone"</c>: a short soft beep every two seconds.</summary>
    Tone = 1,

    /// <summary><c>"clip"</c>: <see cref="HoldCueSettings.Clip"/>, looped.</summary>
    Clip = 2,

    /// <summary><c>"off"</c>: silence.</summary>
    Off = 3,
}
