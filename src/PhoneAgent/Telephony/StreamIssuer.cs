using Microsoft.Extensions.Options;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Options;
using Twilio.TwiML;

namespace PhoneAgent.Telephony;

/// <summary>Issues a call's next stream (ordinal + single-use token in the call store) and its <c>&lt;Connect&gt;</c> TwiML.</summary>
internal sealed class StreamIssuer(ICallStore calls, StreamTokens tokens, TwilioTwiML twiml, TimeProvider timeProvider, IOptions<TwilioOptions> options)
{
    /// <summary>The TwiML for stream <paramref name="ordinal"/>, or <see langword="null"/> when the store refused it (the call moved on).</summary>
    public async ValueTask<VoiceResponse?> IssueAsync(CallRecord call, int ordinal, AgentProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var now = timeProvider.GetUtcNow();
        var stream = await calls.IssueStreamAsync(call.CallSid, ordinal, now, now + options.Value.StreamTokenLifetime, cancellationToken);
        return stream is null ? null : twiml.ConnectStream(tokens.Issue(call.CallSid, ordinal, stream.ExpiresAt), profile);
    }
}
