using PhoneAgent.Calls;

namespace PhoneAgent.Telephony;

/// <summary><c>POST /twilio/call-status</c> and <c>POST /twilio/stream-status</c>: recorded on the call, answered 204.</summary>
internal static partial class StatusWebhooks
{
    public static async Task<IResult> CallStatusAsync(HttpRequest request, [AsParameters] WebhookServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var callSid = form["CallSid"].ToString();
        var status = form["CallStatus"].ToString();
        if (callSid.Length == 0 || status.Length == 0)
        {
            return TypedResults.BadRequest("CallSid and CallStatus are required.");
        }

        var duration = form["CallDuration"].ToString();
        var known = await services.Calls.AddStatusAsync(
            callSid,
            new CallStatusEvent("call", status, services.TimeProvider.GetUtcNow(), duration.Length == 0 ? null : "duration=" + duration),
            request.HttpContext.RequestAborted);
        Log.CallStatus(services.Logger, callSid, status, known);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> StreamStatusAsync(HttpRequest request, [AsParameters] WebhookServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var callSid = form["CallSid"].ToString();
        var streamEvent = form["StreamEvent"].ToString();
        if (callSid.Length == 0 || streamEvent.Length == 0)
        {
            return TypedResults.BadRequest("CallSid and StreamEvent are required.");
        }

        var streamSid = form["StreamSid"].ToString();
        var error = form["StreamError"].ToString();
        var detail = error.Length == 0 ? streamSid : $"{streamSid}: {error}";
        var known = await services.Calls.AddStatusAsync(
            callSid,
            new CallStatusEvent("stream", streamEvent, services.TimeProvider.GetUtcNow(), detail),
            request.HttpContext.RequestAborted);
        if (error.Length > 0)
        {
            Log.StreamError(services.Logger, callSid, streamSid, error);
        }
        else
        {
            Log.StreamStatus(services.Logger, callSid, streamSid, streamEvent, known);
        }

        return TypedResults.NoContent();
    }

    /// <summary><c>POST /twilio/recording-status</c>: the call recording's id goes on the call record.</summary>
    public static async Task<IResult> RecordingStatusAsync(HttpRequest request, [AsParameters] WebhookServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var callSid = form["CallSid"].ToString();
        var recordingSid = form["RecordingSid"].ToString();
        var status = form["RecordingStatus"].ToString();
        if (callSid.Length == 0 || recordingSid.Length == 0)
        {
            return TypedResults.BadRequest("CallSid and RecordingSid are required.");
        }

        var known = await services.Calls.SetRecordingAsync(callSid, recordingSid, request.HttpContext.RequestAborted);
        await services.Calls.AddStatusAsync(callSid, new CallStatusEvent("recording", status, services.TimeProvider.GetUtcNow(), recordingSid), request.HttpContext.RequestAborted);
        Log.RecordingStatus(services.Logger, callSid, recordingSid, status, known);
        return TypedResults.NoContent();
    }

    // EventIds 140-149 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(140, LogLevel.Information, "Call {CallSid} status {CallStatus} (known call: {Known})", EventName = "CallStatus")]
        public static partial void CallStatus(ILogger logger, string callSid, string callStatus, bool known);

        [LoggerMessage(141, LogLevel.Information, "Call {CallSid} stream {StreamSid}: {StreamEvent} (known call: {Known})", EventName = "StreamStatus")]
        public static partial void StreamStatus(ILogger logger, string callSid, string streamSid, string streamEvent, bool known);

        [LoggerMessage(142, LogLevel.Warning, "Call {CallSid} stream {StreamSid} failed: {StreamError}", EventName = "StreamError")]
        public static partial void StreamError(ILogger logger, string callSid, string streamSid, string streamError);

        [LoggerMessage(143, LogLevel.Information, "Call {CallSid} recording {RecordingSid}: {RecordingStatus} (known call: {Known})", EventName = "RecordingStatus")]
        public static partial void RecordingStatus(ILogger logger, string callSid, string recordingSid, string recordingStatus, bool known);
    }
}
