using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using Twilio.TwiML;

namespace PhoneAgent.Telephony;

/// <summary>
/// Extension point of <c>POST /twilio/connect-action</c> for <see cref="NextAction"/> kinds beyond hang-up, reconnect
/// and fallback. The support-workflows issue registers one for <c>Transfer</c> (<c>&lt;Dial&gt;</c>/<c>&lt;Enqueue&gt;</c>)
/// with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;INextActionTwiML, …&gt;())</c>.
/// </summary>
internal interface INextActionTwiML
{
    /// <summary>The TwiML for <paramref name="action"/>, or <see langword="null"/> when this writer does not handle it.</summary>
    ValueTask<VoiceResponse?> TryWriteAsync(NextAction action, CallRecord call, AgentProfile profile, CancellationToken cancellationToken);
}
