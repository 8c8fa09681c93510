using Microsoft.AspNetCore.Http.HttpResults;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony;

/// <summary>
/// <c>POST /twilio/voice</c>: a call comes in. Records it, picks the agent profile by the called number, issues stream 1
/// and answers with <c>&lt;Connect&gt;&lt;Stream&gt;</c>. Fast and local: Twilio gives the webhook 15 s.
/// </summary>
internal static partial class VoiceWebhook
{
    public static async Task<Results<TwiMLResult, BadRequest<string>>> HandleAsync(HttpRequest request, [AsParameters] WebhookServices services, ICallAdmission admission)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(admission);
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var callSid = form["CallSid"].ToString();
        var accountSid = form["AccountSid"].ToString();
        if (callSid.Length == 0 || accountSid.Length == 0)
        {
            return TypedResults.BadRequest("CallSid and AccountSid are required.");
        }

        var to = NullIfEmpty(form["To"].ToString());
        var profile = services.Profiles.ResolveForCall(to, services.TimeProvider.GetUtcNow());
        var now = services.TimeProvider.GetUtcNow();
        var call = await services.Calls.GetOrCreateAsync(
            new NewCall(callSid, accountSid, NullIfEmpty(form["From"].ToString()), to, profile.Name, now, NullIfEmpty(form["StirVerstat"].ToString())),
            request.HttpContext.RequestAborted);

        // A retried webhook refreshes the unclaimed stream 1; a call whose stream already ran goes through the
        // connect-action rules instead (it never gets a stream outside the reconnect limit).
        var current = call.CurrentStream;
        if (current is null && admission.Admit(call, profile) is { Admitted: false } refused)
        {
            Log.CallRefused(services.Logger, callSid, refused.Reason ?? "refused");
            await services.Calls.TrySetEndReasonAsync(callSid, "refused:" + refused.Reason, now, request.HttpContext.RequestAborted);
            return TwiMLResults.TwiML(TwilioTwiML.Fallback(profile));
        }

        var twiml = current is null || current.Ordinal == 1
            ? await services.Streams.IssueAsync(call, 1, profile, request.HttpContext.RequestAborted)
            : null;
        if (twiml is null)
        {
            Log.StreamNotIssued(services.Logger, callSid);
            return TwiMLResults.TwiML(TwilioTwiML.Fallback(profile));
        }

        Log.CallAnswered(services.Logger, callSid, profile.Name);
        return TwiMLResults.TwiML(twiml);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // EventIds 100-109 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Call {CallSid} answered with profile {Profile}", EventName = "CallAnswered")]
        public static partial void CallAnswered(ILogger logger, string callSid, string profile);

        [LoggerMessage(101, LogLevel.Warning, "Call {CallSid}: the voice webhook came again after its stream ran; answering with the fallback", EventName = "VoiceWebhookRepeated")]
        public static partial void StreamNotIssued(ILogger logger, string callSid);

        [LoggerMessage(102, LogLevel.Warning, "Call {CallSid} refused ({Reason}): answering with the fallback", EventName = "CallRefused")]
        public static partial void CallRefused(ILogger logger, string callSid, string reason);
    }
}

/// <summary>Services the webhook handlers share, bound with <c>[AsParameters]</c>.</summary>
internal sealed record WebhookServices(
    ICallStore Calls,
    IAgentProfileCatalog Profiles,
    StreamIssuer Streams,
    TimeProvider TimeProvider,
    ILogger<WebhookServices> Logger);
