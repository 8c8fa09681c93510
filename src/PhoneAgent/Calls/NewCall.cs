namespace PhoneAgent.Calls;

/// <summary>What the voice webhook knows about a new call.</summary>
/// <param name="CallSid">Twilio's call id.</param>
/// <param name="AccountSid">Twilio's account id.</param>
/// <param name="From">Caller (PII).</param>
/// <param name="To">Called number.</param>
/// <param name="Profile">The agent profile chosen.</param>
/// <param name="At">When the webhook came.</param>
/// <param name="CallerAttestation">Twilio's <c>StirVerstat</c> (e.g. <c>TN-Validation-Passed-A</c>), when the call carried STIR/SHAKEN.</param>
internal sealed record NewCall(string CallSid, string AccountSid, string? From, string? To, string Profile, DateTimeOffset At, string? CallerAttestation = null);
