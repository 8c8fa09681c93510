using System.Net.WebSockets;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>One accepted media stream of a call, handed to <see cref="IMediaStreamHandler"/>.</summary>
internal sealed class MediaStreamSession(TwilioMediaStream stream, CallRecord call, AgentProfile profile, int ordinal, ICallStore calls)
{
    /// <summary>The transport: caller audio, events, outbound audio, barge-in, playback tracking.</summary>
    public TwilioMediaStream Stream { get; } = stream;

    /// <summary>What <c>start</c> said.</summary>
    public StreamStartInfo Start { get; } = stream.Start ?? throw new InvalidOperationException("The stream has not started.");

    /// <summary>The call as it was when the stream started.</summary>
    public CallRecord Call { get; } = call;

    /// <summary>The agent profile chosen at the voice webhook.</summary>
    public AgentProfile Profile { get; } = profile;

    /// <summary>1 for the call's first stream, then one more per reconnect.</summary>
    public int Ordinal { get; } = ordinal;

    /// <summary>Records <c>NextAction</c> on this stream (first writer wins).</summary>
    public ValueTask<bool> SetNextActionAsync(NextAction action, CancellationToken cancellationToken) =>
        calls.TrySetNextActionAsync(Call.CallSid, Ordinal, action, cancellationToken);

    /// <summary>
    /// Ends the stream on purpose: records <paramref name="action"/> (unless one is recorded already), then closes the
    /// socket normally. Twilio then requests <c>/twilio/connect-action</c>, which carries out the action. To let the
    /// last words play first, await <see cref="PlaybackTracker.WhenTurnPlayedAsync"/> before calling this.
    /// </summary>
    public async Task<StreamEndReason> EndAsync(NextAction action, CancellationToken cancellationToken)
    {
        await SetNextActionAsync(action, cancellationToken);
        return await Stream.CloseAsync(WebSocketCloseStatus.NormalClosure, action.GetType().Name.ToLowerInvariant(), StreamEndReason.ClosedByServer);
    }
}
