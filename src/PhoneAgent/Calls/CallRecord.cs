using System.Collections.Immutable;

namespace PhoneAgent.Calls;

/// <summary>
/// Everything the service knows about one call. Immutable: a store replaces the whole record on each change and
/// bumps <see cref="Version"/> (compare-and-set), so concurrent writers never lose an update.
/// </summary>
internal sealed record CallRecord
{
    public required string CallSid { get; init; }

    public required string AccountSid { get; init; }

    /// <summary>Caller (E.164 or <c>client:…</c>). ⚠️ PII: never logged.</summary>
    public string? From { get; init; }

    /// <summary>Called number; selected <see cref="Profile"/>.</summary>
    public string? To { get; init; }

    /// <summary>Twilio's <c>StirVerstat</c> for the call, when present: may shorten caller verification where the profile allows, never replace it.</summary>
    public string? CallerAttestation { get; init; }

    /// <summary>Name of the agent profile chosen at the voice webhook.</summary>
    public required string Profile { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set once: by a terminal call status, or when the service decided to end the call.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Set once (first writer wins): e.g. <c>call-status:completed</c>, <c>hangup:…</c>, <c>fallback:…</c>.</summary>
    public string? EndReason { get; init; }

    /// <summary>The latest <c>CallStatus</c> Twilio reported.</summary>
    public string? CallStatus { get; init; }

    public ImmutableList<CallStatusEvent> StatusHistory { get; init; } = [];

    /// <summary>Every stream issued, oldest first; the last one is the current stream.</summary>
    public ImmutableList<StreamRecord> Streams { get; init; } = [];

    /// <summary>Caller and agent turns with timestamps, each agent turn cut to what was heard, interruptions and key presses marked (written by the bridge as each stream ends).</summary>
    public ImmutableList<TranscriptEntry> Transcript { get; init; } = [];

    /// <summary>Twilio's <c>RE…</c> id of the call recording, when the profile records calls.</summary>
    public string? RecordingSid { get; init; }

    /// <summary>Incremented by each change.</summary>
    public long Version { get; init; }

    public StreamRecord? CurrentStream => Streams.IsEmpty ? null : Streams[^1];

    /// <summary>Streams issued after the first.</summary>
    public int ReconnectCount => Math.Max(0, Streams.Count - 1);
}
