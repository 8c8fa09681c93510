using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary><c>bargeIn.mode</c>. No zero member: a missing value is reported as required.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<BargeInMode>))]
internal enum BargeInMode
{
    /// <summary><c>"interrupt"</c>: caller speech stops the agent (Gemini <c>START_OF_ACTIVITY_INTERRUPTS</c>).</summary>
    Interrupt = 1,

    /// <summary><c>"noInterruption"</c>: the agent finishes its turn (Gemini <c>NO_INTERRUPTION</c>).</summary>
    NoInterruption = 2,
}
