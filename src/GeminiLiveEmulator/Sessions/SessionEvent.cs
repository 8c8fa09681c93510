using PhoneAgent.GeminiLiveEmulator.Audio;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>Everything a session reacts to, in the order it happened; one loop handles them all (no locks on session state).</summary>
internal abstract record SessionEvent;

/// <summary>
/// A complete client message (fragments already joined): the first <paramref name="Length"/> bytes of
/// <paramref name="Payload"/>, an <see cref="System.Buffers.ArrayPool{T}.Shared"/> array the session loop returns
/// once the message is handled (nothing parsed from it keeps a reference to it).
/// </summary>
internal sealed record ClientFrameReceived(byte[] Payload, int Length, bool Binary) : SessionEvent;

internal sealed record ClientMessageTooBig(int Bytes) : SessionEvent;

/// <summary>The client sent a close frame.</summary>
internal sealed record ClientClosed(int? Code, string? Reason) : SessionEvent;

/// <summary>The connection dropped without a close frame.</summary>
internal sealed record TransportLost(string Detail) : SessionEvent;

internal sealed record TimerFired(TimerKind Kind, int Token) : SessionEvent
{
    /// <summary>The timer that fired (disposed by the session loop); null when the event was posted directly.</summary>
    public object? Owner { get; init; }
}

/// <summary>Speech rendered off the loop (espeak-ng) for reply <paramref name="ReplyId"/>.</summary>
internal sealed record SpeechReady(int ReplyId, int Generation, SpeechClip Clip) : SessionEvent;

internal sealed record ServerStopping : SessionEvent;

internal enum TimerKind
{
    SetupComplete,
    ReplyStart,
    ReplyStep,
    TurnCompleteDue,
    GoAway,
    GoAwayDeadline,
    Fault,
}
