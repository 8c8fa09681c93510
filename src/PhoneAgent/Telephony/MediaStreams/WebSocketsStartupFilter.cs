namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// Puts the WebSockets middleware at the front of the pipeline for <c>GET /twilio/media</c>, from
/// <c>AddTwilioEdge()</c>, so <c>Program.cs</c> stays a composition root. Keep-alive pings come from the accept context.
/// </summary>
internal sealed class WebSocketsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets();
        next(app);
    };
}
