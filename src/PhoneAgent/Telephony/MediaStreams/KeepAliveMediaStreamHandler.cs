namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// The handler used while no bridge is registered: keeps the call connected (the caller hears silence), drains and
/// returns the caller's audio, and ends when Twilio stops the stream. On shutdown it asks Twilio to reconnect
/// (to another instance, since <c>/readyz</c> is false by then).
/// </summary>
internal sealed partial class KeepAliveMediaStreamHandler(IHostApplicationLifetime lifetime, ILogger<KeepAliveMediaStreamHandler> logger) : IMediaStreamHandler
{
    public async Task HandleAsync(MediaStreamSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        Log.NoBridge(logger, session.Profile.Name);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var frames = 0L;
        try
        {
            var events = DrainEventsAsync(session.Stream, stopping.Token);
            while (await session.Stream.CallerAudio.WaitToReadAsync(stopping.Token))
            {
                while (session.Stream.CallerAudio.TryRead(out var frame))
                {
                    frames++;
                    frame.Dispose();
                }
            }

            await events;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await session.EndAsync(new Calls.NextAction.Reconnect("server shutting down"), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection is gone.
        }

        Log.Drained(logger, frames);
    }

    private static async Task DrainEventsAsync(TwilioMediaStream stream, CancellationToken cancellationToken)
    {
        while (await stream.Events.WaitToReadAsync(cancellationToken))
        {
            while (stream.Events.TryRead(out _))
            {
            }
        }
    }

    // EventIds 190-194 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(190, LogLevel.Warning, "No media stream handler (bridge) is registered: keeping the call connected with profile {Profile} and draining its audio until Twilio stops the stream", EventName = "NoBridge")]
        public static partial void NoBridge(ILogger logger, string profile);

        [LoggerMessage(191, LogLevel.Information, "Media stream drained: {Frames} caller frames", EventName = "StreamDrained")]
        public static partial void Drained(ILogger logger, long frames);
    }
}
