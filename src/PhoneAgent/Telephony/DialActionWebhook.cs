using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Support;
using Twilio.TwiML;

namespace PhoneAgent.Telephony;

/// <summary>
/// <c>POST /twilio/dial-action</c>: a transfer to a human has ended (the <c>action</c> of its <c>&lt;Dial&gt;</c> or
/// <c>&lt;Enqueue&gt;</c>); and <c>POST /twilio/queue-wait</c>, the queue's hold music.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>A human took the call (<c>DialCallStatus</c> completed/answered, <c>QueueResult</c> bridged/bridging-in-process):
/// Twilio asks only once that conversation is over, so → <c>&lt;Hangup/&gt;</c>, end reason <c>transfer:answered</c>.</item>
/// <item>The caller hung up first (<c>QueueResult=hangup</c>, or the call's own status is terminal) →
/// <c>&lt;Hangup/&gt;</c>, end reason <c>transfer:caller-left</c>.</item>
/// <item>Nobody was reached (busy, no-answer, failed, canceled; queue-full, leave, error, system-error, redirected; any
/// value we do not know): the caller goes back to the agent on a new stream with the next ordinal. The profile's
/// <c>transfer.whenUnanswered</c> decides what the agent is told to do (carry on and offer a callback, or take a
/// callback request); the bridge reads the outcome from the call's status history when the stream starts. The
/// transfer never hangs up on a caller who is still there.</item>
/// </list>
/// Each outcome is recorded in the call's status history (source <c>dial-action</c>, detail
/// <c>DialCallStatus=…</c>/<c>QueueResult=…</c>) and in the tool audit log. A stream issued this way is not a
/// reconnect: it does not count against <c>Twilio:MaxReconnects</c>, which guards against streams that keep dying, while
/// each return here follows a transfer the caller asked for and at least one ring or queue timeout. A retried delivery
/// refreshes the same unclaimed stream (the store's compare-and-set on the ordinal), never a second one.
/// </remarks>
internal static partial class DialActionWebhook
{
    /// <summary>The tool the outcomes are audited under.</summary>
    public const string AuditTool = "connect_to_human";

    public static async Task<Results<TwiMLResult, BadRequest<string>>> HandleAsync(
        HttpRequest request,
        [AsParameters] WebhookServices services,
        [FromServices] IToolAuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(audit);
        var cancellationToken = request.HttpContext.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var callSid = form["CallSid"].ToString();
        if (callSid.Length == 0)
        {
            return TypedResults.BadRequest("CallSid is required.");
        }

        if (TransferOutcome.FromForm(form) is not { } outcome)
        {
            return TypedResults.BadRequest($"{TransferOutcome.DialParameter} or {TransferOutcome.QueueParameter} is required.");
        }

        var now = services.TimeProvider.GetUtcNow();
        var call = await services.Calls.FindAsync(callSid, cancellationToken);
        if (call is null)
        {
            Log.UnknownCall(services.Logger, callSid, outcome.Tag);
            return TwiMLResults.TwiML(outcome.Kind == TransferOutcomeKind.NotReached ? TwilioTwiML.Fallback(services.Profiles.Default) : TwilioTwiML.Hangup());
        }

        await services.Calls.AddStatusAsync(callSid, outcome.ToStatusEvent(now), cancellationToken);
        var profile = services.Profiles.Get(call.Profile) ?? services.Profiles.Default;
        var (decision, twiml) = await DecideAsync(call, profile, outcome, services, now, cancellationToken);
        Log.Decided(services.Logger, callSid, outcome.Parameter, outcome.Status, outcome.Tag, decision);
        await AuditAsync(audit, call, outcome, decision, now, services.Logger);
        return TwiMLResults.TwiML(twiml);
    }

    /// <summary><c>POST /twilio/queue-wait</c>: hold message and pauses, then <c>&lt;Leave/&gt;</c> after the transfer's timeout.</summary>
    public static async Task<Results<TwiMLResult, BadRequest<string>>> QueueWaitAsync(HttpRequest request, [AsParameters] WebhookServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var cancellationToken = request.HttpContext.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var callSid = form["CallSid"].ToString();
        if (callSid.Length == 0)
        {
            return TypedResults.BadRequest("CallSid is required.");
        }

        _ = int.TryParse(form["QueueTime"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var queueSeconds);
        var call = await services.Calls.FindAsync(callSid, cancellationToken);
        var profile = (call is null ? null : services.Profiles.Get(call.Profile)) ?? services.Profiles.Default;

        // The timeout armed with the transfer wins over the profile's current one (a reload must not change a wait under way).
        var limit = (call is null ? null : LatestTransfer(call)?.Transfer.Timeout) ?? profile.Transfer.Timeout;
        var waited = TimeSpan.FromSeconds(Math.Max(0, queueSeconds));
        Log.QueueWait(services.Logger, callSid, waited.TotalSeconds, limit.TotalSeconds);
        return TwiMLResults.TwiML(TransferTwiML.QueueWait(waited, limit));
    }

    /// <summary>The newest stream that ended with a transfer, and that transfer.</summary>
    internal static (StreamRecord Stream, NextAction.Transfer Transfer)? LatestTransfer(CallRecord call)
    {
        for (var i = call.Streams.Count - 1; i >= 0; i--)
        {
            if (call.Streams[i].NextAction is NextAction.Transfer transfer)
            {
                return (call.Streams[i], transfer);
            }
        }

        return null;
    }

    private static async Task<(string Decision, VoiceResponse TwiML)> DecideAsync(
        CallRecord call,
        AgentProfile profile,
        TransferOutcome outcome,
        WebhookServices services,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (outcome.Kind != TransferOutcomeKind.NotReached)
        {
            await services.Calls.TrySetEndReasonAsync(call.CallSid, "transfer:" + outcome.Tag, now, cancellationToken);
            return ("hangup", TwilioTwiML.Hangup());
        }

        if (LatestTransfer(call) is not { } transfer)
        {
            // Not our transfer (no stream ended with one): never invent a stream for it.
            return ("fallback", TwilioTwiML.Fallback(profile));
        }

        var twiml = await services.Streams.IssueAsync(call, transfer.Stream.Ordinal + 1, profile, cancellationToken);
        if (twiml is null)
        {
            // The call already moved on (a stream after the transfer ran): answer as connect-action would.
            return ("fallback", TwilioTwiML.Fallback(profile));
        }

        return (profile.Transfer.WhenUnanswered == TransferFallback.Callback ? "back-to-agent-for-callback" : "back-to-agent", twiml);
    }

    private static async Task AuditAsync(IToolAuditLog audit, CallRecord call, TransferOutcome outcome, string decision, DateTimeOffset now, ILogger logger)
    {
        try
        {
            await audit.AppendAsync(
                new ToolAuditEntry(call.CallSid, "", AuditTool, "transfer-" + outcome.Tag, outcome.Status.ToLowerInvariant(), null, null, null, $"{outcome.Parameter}={outcome.Status}; next: {decision}", now),
                CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The caller must still get their TwiML; the call's status history holds the outcome too.
            Log.AuditFailed(logger, call.CallSid, e);
        }
    }

    // EventIds 150-159 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(150, LogLevel.Information, "Call {CallSid}: transfer ended with {Parameter}={Status} ({Outcome}); next: {Decision}", EventName = "DialActionDecided")]
        public static partial void Decided(ILogger logger, string callSid, string parameter, string status, string outcome, string decision);

        [LoggerMessage(151, LogLevel.Warning, "Dial action for unknown call {CallSid} ({Outcome})", EventName = "DialActionUnknownCall")]
        public static partial void UnknownCall(ILogger logger, string callSid, string outcome);

        [LoggerMessage(152, LogLevel.Error, "Call {CallSid}: the transfer outcome could not be audited", EventName = "DialActionAuditFailed")]
        public static partial void AuditFailed(ILogger logger, string callSid, Exception exception);

        [LoggerMessage(153, LogLevel.Debug, "Call {CallSid} in the queue for {WaitedSeconds:0} of {LimitSeconds:0} s", EventName = "QueueWait")]
        public static partial void QueueWait(ILogger logger, string callSid, double waitedSeconds, double limitSeconds);
    }
}
