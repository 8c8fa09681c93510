namespace PhoneAgent.Telephony;

/// <summary>The Twilio edge's paths, relative to <c>PhoneAgent:PublicBaseUrl</c>. Tests and CallReplay rely on them.</summary>
public static class TwilioPaths
{
    /// <summary>The number's Voice URL (POST): answers with <c>&lt;Connect&gt;&lt;Stream&gt;</c> TwiML.</summary>
    public const string Voice = "/twilio/voice";

    /// <summary>The Media Streams WebSocket (GET upgrade).</summary>
    public const string Media = "/twilio/media";

    /// <summary>The <c>&lt;Connect action&gt;</c> URL (POST): what the call does after its stream ends.</summary>
    public const string ConnectAction = "/twilio/connect-action";

    /// <summary>The number's call status callback URL (POST).</summary>
    public const string CallStatus = "/twilio/call-status";

    /// <summary>The call recording's <c>recordingStatusCallback</c> (POST), when the profile records calls.</summary>
    public const string RecordingStatus = "/twilio/recording-status";

    /// <summary>The stream's <c>statusCallback</c> (POST).</summary>
    public const string StreamStatus = "/twilio/stream-status";

    /// <summary>The <c>action</c> of a transfer's <c>&lt;Dial&gt;</c> or <c>&lt;Enqueue&gt;</c> (POST): a human took the call, or the caller goes back to the agent.</summary>
    public const string DialAction = "/twilio/dial-action";

    /// <summary>The <c>waitUrl</c> of a transfer's <c>&lt;Enqueue&gt;</c> (POST): hold message, then <c>&lt;Leave/&gt;</c> after the transfer's timeout.</summary>
    public const string QueueWait = "/twilio/queue-wait";
}
