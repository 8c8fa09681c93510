using PhoneAgent.AgentProfiles;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace PhoneAgent.Telephony;

/// <summary>Builds the edge's TwiML with Twilio's own <see cref="VoiceResponse"/> classes.</summary>
internal sealed class TwilioTwiML(TwilioPublicUrls urls)
{
    /// <summary>
    /// <c>&lt;Connect action="{base}/twilio/connect-action"&gt;&lt;Stream url="{wss base}/twilio/media"
    /// statusCallback="{base}/twilio/stream-status"&gt;</c> with the stream token and the profile as
    /// <c>&lt;Parameter&gt;</c>s (the stream URL carries no query string).
    /// </summary>
    public VoiceResponse ConnectStream(string streamToken, AgentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var stream = new Twilio.TwiML.Voice.Stream(
            url: urls.WebSocket(TwilioPaths.Media),
            statusCallback: urls.Http(TwilioPaths.StreamStatus));
        stream.Parameter(name: TwilioDefaults.StreamTokenParameter, value: streamToken);
        stream.Parameter(name: TwilioDefaults.ProfileParameter, value: profile.Name);

        var connect = new Connect(action: new Uri(urls.Http(TwilioPaths.ConnectAction)));
        connect.Append(stream);
        var response = new VoiceResponse();
        if (profile.Recording.Enabled)
        {
            // <Start><Recording> before <Connect>: it does not hold the TwiML, so the stream is not delayed.
            var start = new Start();
            start.Recording(
                recordingStatusCallback: urls.Http(TwilioPaths.RecordingStatus),
                recordingStatusCallbackMethod: Recording.RecordingStatusCallbackMethodEnum.Post,
                recordingStatusCallbackEvent: [Recording.EventEnum.InProgress, Recording.EventEnum.Completed],
                track: Recording.TrackEnum.Both,
                channels: profile.Recording.DualChannel ? Recording.ChannelsEnum.Dual : Recording.ChannelsEnum.Mono);
            response.Append(start);
        }

        return response.Append(connect) as VoiceResponse ?? throw new InvalidOperationException();
    }

    /// <summary>The profile's <c>fallback</c>: say the apology, then queue, dial or hang up.</summary>
    public static VoiceResponse Fallback(AgentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var response = new VoiceResponse();
        response.Say(message: profile.Fallback.Apology, language: profile.Language);
        var target = profile.Fallback.Target;
        switch (profile.Fallback.Action)
        {
            case FallbackAction.Enqueue when !string.IsNullOrEmpty(target):
                response.Enqueue(name: target);
                break;
            case FallbackAction.Dial when target is not null && target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase):
                response.Append(new Dial().Sip(new Uri(target)));
                break;
            case FallbackAction.Dial when !string.IsNullOrEmpty(target):
                response.Dial(number: target);
                break;
            default:
                response.Hangup();
                break;
        }

        return response;
    }

    public static VoiceResponse Hangup() => new VoiceResponse().Hangup();
}
