namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// Runs a call once its media stream has passed the handshake. The bridge (a later issue) registers its own with
/// <c>services.AddSingleton&lt;IMediaStreamHandler, …&gt;()</c>; until then <see cref="KeepAliveMediaStreamHandler"/>
/// keeps the call connected and drains the caller's audio.
/// </summary>
internal interface IMediaStreamHandler
{
    /// <summary>
    /// Handles the stream until it ends or the handler ends it (<see cref="MediaStreamSession.EndAsync"/>). When this
    /// returns with the socket still open, the endpoint closes it normally.
    /// </summary>
    Task HandleAsync(MediaStreamSession session, CancellationToken cancellationToken);
}
