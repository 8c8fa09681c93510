using System.Text.Json;

namespace PhoneAgent.Model;

/// <summary>Something the model session reports on <see cref="IRealtimeModelSession.Events"/>. Audio has its own lane.</summary>
public abstract record ModelEvent;

/// <summary>The model accepted the first setup; <paramref name="ProviderSessionId"/> when the provider names sessions (Vertex).</summary>
public sealed record SessionReady(string? ProviderSessionId) : ModelEvent;

/// <summary>Caller speech (or a client message) cut model turn <paramref name="Turn"/> off: drop its queued audio.</summary>
public sealed record Interrupted(long Turn) : ModelEvent;

/// <summary>The model finished generating turn <paramref name="Turn"/>; playback may still be going on.</summary>
public sealed record GenerationComplete(long Turn) : ModelEvent;

/// <summary>
/// Model turn <paramref name="Turn"/> is over. <paramref name="LastAudioSequence"/> is the sequence of its last audio
/// chunk (-1 when it had none). <paramref name="Reason"/> is the provider's reason when given (e.g. <c>NEED_MORE_INPUT</c>).
/// </summary>
public sealed record TurnComplete(long Turn, long LastAudioSequence, string? Reason = null, bool WaitingForInput = false) : ModelEvent;

/// <summary>A fragment of what the caller said (concatenate; may start with a space).</summary>
public sealed record InputTranscript(string Text, bool Finished) : ModelEvent;

/// <summary>A fragment of what the model said in turn <paramref name="Turn"/> (concatenate; not ordered against audio).</summary>
public sealed record OutputTranscript(long Turn, string Text, bool Finished) : ModelEvent;

/// <summary>Text the model produced instead of (or besides) speech; <paramref name="IsThought"/> marks reasoning never to be spoken.</summary>
public sealed record TextReceived(long Turn, string Text, bool IsThought) : ModelEvent;

/// <summary>The model wants a tool run. Answer with <see cref="IRealtimeModelSession.SendToolResult"/> using <paramref name="CallId"/>.</summary>
public sealed record ToolCallRequested(string CallId, string Name, JsonElement Arguments) : ModelEvent;

/// <summary>Tool calls not to answer: the caller interrupted, or the connection they belonged to was lost.</summary>
public sealed record ToolCallCancelled(IReadOnlyList<string> CallIds, ToolCancelReason Reason) : ModelEvent;

/// <summary>The provider will end the current connection after <paramref name="TimeLeft"/>; the session hands over by itself.</summary>
public sealed record GoAway(TimeSpan TimeLeft) : ModelEvent;

/// <summary>The connection was lost and the session is reconnecting; caller audio is buffered (bounded) meanwhile.</summary>
public sealed record Reconnecting(ModelReconnectCause Cause, int? CloseCode, string? CloseReason) : ModelEvent;

/// <summary>The session continues on a new connection. <see cref="ModelResumeKind.FreshSeeded"/> means the model's memory is the transcript so far, given as text.</summary>
public sealed record SessionResumed(ModelResumeKind Kind, TimeSpan Gap) : ModelEvent;

/// <summary>Token usage, as the provider reported it (usually with each turn's end).</summary>
public sealed record UsageReported(ModelUsage Usage) : ModelEvent;

/// <summary>The provider's own voice-activity signal (only some models send it); informative, do not depend on it.</summary>
public sealed record VoiceActivityDetected(bool SpeechStarted, TimeSpan? AudioOffset) : ModelEvent;

public enum ToolCancelReason
{
    /// <summary>The model cancelled the calls (the caller interrupted).</summary>
    CancelledByModel = 1,

    /// <summary>The connection that issued the calls is gone; the resumed model will not expect an answer.</summary>
    ConnectionLost = 2,
}

public enum ModelReconnectCause
{
    /// <summary>The socket died without a close frame.</summary>
    TransportLost = 1,

    /// <summary>The provider closed the connection (see the close code and reason).</summary>
    ClosedByProvider = 2,

    /// <summary><see cref="GoAway"/> was not followed by a hand-over in time.</summary>
    GoAwayDeadline = 3,

    /// <summary>
    /// The consumer asked for it (<c>IReconnectableModelSession.Reconnect</c>, e.g. the stall watchdog); the reason
    /// it gave is in <see cref="Reconnecting.CloseReason"/>.
    /// </summary>
    Requested = 4,
}

public enum ModelResumeKind
{
    /// <summary>Planned switch after <see cref="GoAway"/>, with the resumption handle.</summary>
    Handover = 1,

    /// <summary>Reconnected after a loss, with the resumption handle: the model remembers everything.</summary>
    Resumed = 2,

    /// <summary>A fresh model session seeded with the conversation so far as text (no usable handle, or another region).</summary>
    FreshSeeded = 3,
}
