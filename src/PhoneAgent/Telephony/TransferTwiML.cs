using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace PhoneAgent.Telephony;

/// <summary>
/// The TwiML of a transfer to a human (<see cref="NextAction.Transfer"/>, armed by <c>connect_to_human</c>), written at
/// <c>/twilio/connect-action</c>: <c>&lt;Dial action timeout&gt;</c> to a number or a <c>&lt;Sip&gt;</c> URI, or
/// <c>&lt;Enqueue action waitUrl&gt;</c>. Both report to <c>/twilio/dial-action</c>, so the caller is never simply
/// dropped, and no verb follows them (with <c>action</c> set, Twilio would not run it anyway).
/// </summary>
/// <remarks>
/// Twilio's <c>&lt;Enqueue&gt;</c> has no timeout of its own: <c>/twilio/queue-wait</c> (its <c>waitUrl</c>, requested
/// again each time its TwiML ends) plays the hold message and pauses, and answers <c>&lt;Leave/&gt;</c> once the
/// caller has waited the transfer's timeout; Twilio then reports <c>QueueResult=leave</c> to the action URL.
/// </remarks>
internal sealed class TransferTwiML(TwilioPublicUrls urls) : INextActionTwiML
{
    /// <summary>Said when the caller enters the queue.</summary>
    public const string HoldMessage = "Please hold while we connect you to a member of our team.";

    /// <summary>Said each time the wait URL is requested again.</summary>
    public const string StillHoldingMessage = "Thank you for holding.";

    /// <summary>Longest pause per wait-URL document: how often the caller hears they are still in the queue.</summary>
    public static readonly TimeSpan HoldPause = TimeSpan.FromSeconds(20);

    // Twilio's <Dial timeout> range.
    private const int MinDialSeconds = 5;
    private const int MaxDialSeconds = 600;

    public ValueTask<VoiceResponse?> TryWriteAsync(NextAction action, CallRecord call, AgentProfile profile, CancellationToken cancellationToken) =>
        ValueTask.FromResult(action is NextAction.Transfer transfer ? Transfer(transfer) : null);

    /// <summary>The transfer's TwiML, or <see langword="null"/> when it has no target (the caller then gets the fallback).</summary>
    public VoiceResponse? Transfer(NextAction.Transfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        var target = transfer.Target?.Trim();
        if (string.IsNullOrEmpty(target))
        {
            return null;
        }

        var action = new Uri(urls.Http(TwilioPaths.DialAction));
        var response = new VoiceResponse();
        if (transfer.Action == TransferAction.Enqueue)
        {
            return response.Enqueue(
                name: target,
                action: action,
                method: Twilio.Http.HttpMethod.Post,
                waitUrl: new Uri(urls.Http(TwilioPaths.QueueWait)),
                waitUrlMethod: Twilio.Http.HttpMethod.Post);
        }

        var seconds = Math.Clamp((int)Math.Ceiling(transfer.Timeout.TotalSeconds), MinDialSeconds, MaxDialSeconds);
        var isSip = target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase);
        var dial = new Dial(number: isSip ? null : target, action: action, method: Twilio.Http.HttpMethod.Post, timeout: seconds);
        if (isSip)
        {
            dial.Sip(new Uri(target));
        }

        return response.Append(dial) as VoiceResponse;
    }

    /// <summary>
    /// The queue's hold TwiML after <paramref name="waited"/> in the queue: <c>&lt;Leave/&gt;</c> once
    /// <paramref name="limit"/> is reached, else a short message and a pause of at most <see cref="HoldPause"/> (never
    /// past the limit), after which Twilio asks again.
    /// </summary>
    public static VoiceResponse QueueWait(TimeSpan waited, TimeSpan limit)
    {
        var response = new VoiceResponse();
        var left = limit - waited;
        if (left <= TimeSpan.Zero)
        {
            return response.Leave();
        }

        response.Say(message: waited <= TimeSpan.Zero ? HoldMessage : StillHoldingMessage);
        var pause = left < HoldPause ? left : HoldPause;
        return response.Pause(length: Math.Max(1, (int)Math.Ceiling(pause.TotalSeconds)));
    }
}
