using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Telephony;

/// <summary>
/// Maps the Twilio edge: the signed webhooks (403 before anything else on a bad signature) and the media WebSocket
/// (its signature check is inside, because <c>Twilio:StreamSignature</c> decides what a bad one does).
/// </summary>
internal static class TwilioEndpoints
{
    public static IEndpointRouteBuilder MapTwilioEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var webhooks = endpoints.MapGroup("").ValidateTwilioRequest().DisableAntiforgery();
        webhooks.MapPost(TwilioPaths.Voice, VoiceWebhook.HandleAsync).WithName("TwilioVoice");
        webhooks.MapPost(TwilioPaths.ConnectAction, ConnectActionWebhook.HandleAsync).WithName("TwilioConnectAction");
        webhooks.MapPost(TwilioPaths.CallStatus, StatusWebhooks.CallStatusAsync).WithName("TwilioCallStatus");
        webhooks.MapPost(TwilioPaths.StreamStatus, StatusWebhooks.StreamStatusAsync).WithName("TwilioStreamStatus");
        webhooks.MapPost(TwilioPaths.RecordingStatus, StatusWebhooks.RecordingStatusAsync).WithName("TwilioRecordingStatus");
        webhooks.MapPost(TwilioPaths.DialAction, DialActionWebhook.HandleAsync).WithName("TwilioDialAction");
        webhooks.MapPost(TwilioPaths.QueueWait, DialActionWebhook.QueueWaitAsync).WithName("TwilioQueueWait");

        endpoints.MapGet(TwilioPaths.Media, MediaStreamEndpoint.HandleAsync).WithName("TwilioMedia");
        return endpoints;
    }
}
