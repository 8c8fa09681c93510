namespace PhoneAgent.Tools;

/// <summary>The phone call a tool runs for. ⚠️ <see cref="CallerNumber"/> is PII: never log it.</summary>
/// <param name="CallSid">Twilio's call id.</param>
/// <param name="Profile">The agent profile's name.</param>
/// <param name="CallerNumber">The caller (E.164), when known.</param>
/// <param name="Control">What a tool may do to the call itself (hang up after the goodbye, …).</param>
internal sealed record ToolCallContext(string CallSid, string Profile, string? CallerNumber, ICallControl Control)
{
    /// <summary>Twilio's <c>StirVerstat</c> for the call (e.g. <c>TN-Validation-Passed-A</c>), when present.</summary>
    public string? CallerAttestation { get; init; }
}
