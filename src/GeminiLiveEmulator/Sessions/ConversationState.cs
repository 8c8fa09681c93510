namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// What a resumption handle restores: the turn count (the scenario position) and the conversation so far. Cloned when
/// a handle is issued, so a resume goes back to that safe point and anything after it is lost, as with the service.
/// </summary>
internal sealed class ConversationState
{
    /// <summary>Caller turns committed so far; the next one takes scenario turn <c>UserTurns + 1</c>.</summary>
    public int UserTurns { get; set; }

    public List<HistoryEntry> History { get; private init; } = [];

    /// <summary>Caller audio in the context, in seconds (for usage: 25 tokens per second).</summary>
    public double PromptAudioSeconds { get; set; }

    public ConversationState Clone() => new()
    {
        UserTurns = UserTurns,
        History = [.. History],
        PromptAudioSeconds = PromptAudioSeconds,
    };
}

internal sealed record HistoryEntry(string Role, string Text);
