using System.Text;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Support;
using PhoneAgent.Telephony;

namespace PhoneAgent.Bridge;

/// <summary>
/// What a new model session is told when the caller comes back from a transfer nobody took. Everything it needs is on
/// the call record: the stream before this one ended with <see cref="NextAction.Transfer"/>, and
/// <c>/twilio/dial-action</c> recorded Twilio's outcome in the status history; the hand-off summary is in the
/// <see cref="IHandoffStore"/>. So no new state is kept, and any instance can take the stream.
/// </summary>
/// <remarks>
/// The note is the session's opening prompt (realtime text, like the greeting request): it makes the agent speak first,
/// and it becomes part of the conversation a fresh seeded model session would be given after a model reconnect.
/// </remarks>
internal static class TransferReturnNote
{
    /// <summary>The transfer that the stream <paramref name="ordinal"/> comes back from, if the stream before it ended with one.</summary>
    public static NextAction.Transfer? TransferBefore(CallRecord call, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(call);
        var index = call.Streams.FindIndex(s => s.Ordinal == ordinal - 1);
        return index >= 0 && call.Streams[index].NextAction is NextAction.Transfer transfer ? transfer : null;
    }

    /// <summary>The opening prompt for the agent: why nobody took the call, what was passed on, what to do now.</summary>
    public static string Build(TransferFallback whenUnanswered, TransferOutcome? outcome, HandoffSummary? handoff)
    {
        var why = outcome is { Kind: TransferOutcomeKind.NotReached } ? outcome.Describe() : "nobody could take the call";
        var text = new StringBuilder("[You tried to transfer the caller to a human colleague, but ")
            .Append(why)
            .Append(". The caller is back on the line with you.");
        if (handoff is not null)
        {
            text.Append(" What you passed on for the team: reason \"").Append(handoff.Reason)
                .Append("\"; summary \"").Append(handoff.Summary).Append("\".");
        }

        text.Append(whenUnanswered == TransferFallback.Callback
            ? " Tell the caller briefly that nobody could take the call right now and that you will arrange a callback: ask when and on which number they would like to be called back, then schedule it. Do not try to transfer them again.]"
            : " Tell the caller briefly that nobody could take the call right now, offer to arrange a callback, and otherwise carry on helping them.]");
        return text.ToString();
    }
}
