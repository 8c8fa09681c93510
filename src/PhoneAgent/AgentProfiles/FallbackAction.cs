using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary><c>fallback.action</c>. No zero member: a missing value is reported as required.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<FallbackAction>))]
internal enum FallbackAction
{
    /// <summary><c>"enqueue"</c>: put the caller in the Twilio queue named by <c>target</c>.</summary>
    Enqueue = 1,

    /// <summary><c>"dial"</c>: connect the caller to <c>target</c>, an E.164 number or a SIP URI.</summary>
    Dial = 2,

    /// <summary><c>"hangup"</c>: end the call after the apology; no <c>target</c>.</summary>
    Hangup = 3,
}
