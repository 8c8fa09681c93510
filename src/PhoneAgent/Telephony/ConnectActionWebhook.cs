using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Options;
using Twilio.TwiML;

namespace PhoneAgent.Telephony;

/// <summary>
/// <c>POST /twilio/connect-action</c>: the call's stream has ended; Twilio asks what next. The answer comes from the
/// current stream's <see cref="NextAction"/> in the call store.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Hangup → <c>&lt;Hangup/&gt;</c>. Fallback → the profile's apology, then its queue, number or hang-up.</item>
/// <item>Reconnect → a new stream with the next ordinal while the call has reconnects left
/// (<c>Twilio:MaxReconnects</c>; streams that followed a transfer back to the agent are not reconnects), else the
/// fallback.</item>
/// <item>Any other kind → the first <see cref="INextActionTwiML"/> that writes it: Transfer → <see cref="TransferTwiML"/>'s
/// <c>&lt;Dial&gt;</c>/<c>&lt;Enqueue&gt;</c>, whose outcome comes to <c>/twilio/dial-action</c>. A transfer does not end
/// the call, so it records no end reason here.</item>
/// <item>Nothing recorded: a stream that started and died reconnects within the limit; a stream that never started
/// (our handshake refused it, its upgrade got 403, or it timed out) goes to the fallback, so a refused stream never
/// loops. A retried connect-action after a reconnect also sees an unstarted stream and falls back (Twilio retries
/// only on timeouts; this handler answers from memory).</item>
/// </list>
/// </remarks>
internal static partial class ConnectActionWebhook
{
    public static async Task<Results<TwiMLResult, BadRequest<string>>> HandleAsync(
        HttpRequest request,
        [AsParameters] WebhookServices services,
        IOptions<TwilioOptions> options,
        IEnumerable<INextActionTwiML> writers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var cancellationToken = request.HttpContext.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var callSid = form["CallSid"].ToString();
        if (callSid.Length == 0)
        {
            return TypedResults.BadRequest("CallSid is required.");
        }

        var call = await services.Calls.FindAsync(callSid, cancellationToken);
        if (call is null)
        {
            Log.UnknownCall(services.Logger, callSid);
            return TwiMLResults.TwiML(TwilioTwiML.Fallback(services.Profiles.Default));
        }

        var profile = services.Profiles.Get(call.Profile) ?? services.Profiles.Default;
        var stream = call.CurrentStream;
        var action = stream?.NextAction
            ?? (stream?.ClaimedAt is null
                ? new NextAction.Fallback("stream never started")
                : new NextAction.Reconnect("stream ended without a decision"));

        var (decision, twiml) = await DecideAsync(call, profile, action, services, options.Value.MaxReconnects, writers, cancellationToken);
        var now = services.TimeProvider.GetUtcNow();
        await services.Calls.AddStatusAsync(callSid, new CallStatusEvent("connect-action", decision, now, action.Reason), cancellationToken);
        if (decision is not ("reconnect" or "transfer"))
        {
            await services.Calls.TrySetEndReasonAsync(callSid, $"{decision}:{action.Reason}", now, cancellationToken);
        }

        Log.Decided(services.Logger, callSid, stream?.Ordinal ?? 0, decision, action.Reason);
        return TwiMLResults.TwiML(twiml);
    }

    private static async Task<(string Decision, VoiceResponse TwiML)> DecideAsync(
        CallRecord call,
        AgentProfile profile,
        NextAction action,
        WebhookServices services,
        int maxReconnects,
        IEnumerable<INextActionTwiML> writers,
        CancellationToken cancellationToken)
    {
        switch (action)
        {
            case NextAction.Hangup:
                return ("hangup", TwilioTwiML.Hangup());
            case NextAction.Fallback:
                return ("fallback", TwilioTwiML.Fallback(profile));
            case NextAction.Reconnect:
                var ordinal = (call.CurrentStream?.Ordinal ?? 0) + 1;
                var twiml = ReconnectsUsed(call) < maxReconnects
                    ? await services.Streams.IssueAsync(call, ordinal, profile, cancellationToken)
                    : null;
                return twiml is null ? ("fallback", TwilioTwiML.Fallback(profile)) : ("reconnect", twiml);
            default:
                foreach (var writer in writers)
                {
                    if (await writer.TryWriteAsync(action, call, profile, cancellationToken) is { } written)
                    {
                        return (action.GetType().Name.ToLowerInvariant(), written);
                    }
                }

                return ("fallback", TwilioTwiML.Fallback(profile));
        }
    }

    /// <summary>Streams issued after a stream that did not end in a transfer (a transfer's way back is not a reconnect).</summary>
    internal static int ReconnectsUsed(CallRecord call)
    {
        var used = 0;
        for (var i = 1; i < call.Streams.Count; i++)
        {
            if (call.Streams[i - 1].NextAction is not NextAction.Transfer)
            {
                used++;
            }
        }

        return used;
    }

    // EventIds 110-119 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Information, "Call {CallSid}: stream {Ordinal} ended; next: {Decision} ({Reason})", EventName = "ConnectActionDecided")]
        public static partial void Decided(ILogger logger, string callSid, int ordinal, string decision, string reason);

        [LoggerMessage(111, LogLevel.Warning, "Connect action for unknown call {CallSid}: answering with the default profile's fallback", EventName = "ConnectActionUnknownCall")]
        public static partial void UnknownCall(ILogger logger, string callSid);
    }
}
