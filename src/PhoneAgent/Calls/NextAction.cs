using System.Text.Json.Serialization;

namespace PhoneAgent.Calls;

/// <summary>
/// What a call does after its media stream ends, written (once per stream) by whoever ends the stream and read by
/// <c>POST /twilio/connect-action</c>.
/// </summary>
/// <remarks>
/// Open for extension: the support-workflows issue adds a <c>Transfer</c> record deriving from this one and an
/// <see cref="Telephony.INextActionTwiML"/> that turns it into <c>&lt;Dial&gt;</c>/<c>&lt;Enqueue&gt;</c>.
/// </remarks>
/// <param name="Reason">Why, for the call record and the logs (no PII).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Hangup), "hangup")]
[JsonDerivedType(typeof(Reconnect), "reconnect")]
[JsonDerivedType(typeof(Fallback), "fallback")]
[JsonDerivedType(typeof(Transfer), "transfer")]
internal abstract record NextAction(string Reason)
{
    /// <summary>End the call (<c>&lt;Hangup/&gt;</c>).</summary>
    internal sealed record Hangup(string Reason) : NextAction(Reason);

    /// <summary>Open a new stream with the next ordinal, within <c>Twilio:MaxReconnects</c>.</summary>
    internal sealed record Reconnect(string Reason) : NextAction(Reason);

    /// <summary>Say the profile's <c>fallback.apology</c>, then go where <c>fallback</c> says (queue, dial or hang up).</summary>
    internal sealed record Fallback(string Reason) : NextAction(Reason);

    /// <summary>
    /// Hand the caller to a human (<c>connect_to_human</c>): <c>&lt;Dial&gt;</c> or <c>&lt;Enqueue&gt;</c> to
    /// <paramref name="Target"/>, whose outcome comes back to <c>POST /twilio/dial-action</c>. Never hangs up.
    /// </summary>
    /// <param name="Reason">Why, for the record.</param>
    /// <param name="Action">Dial or enqueue.</param>
    /// <param name="Target">Queue name, number or SIP URI (from the profile, never from the model).</param>
    /// <param name="Timeout">Ring time, or longest wait in the queue.</param>
    internal sealed record Transfer(string Reason, AgentProfiles.TransferAction Action, string Target, TimeSpan Timeout) : NextAction(Reason);
}
