using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// The model's answer in progress: an answer to caller turn <see cref="UserTurn"/>, or the model speaking about a
/// non-blocking tool result. Its playback clock (<see cref="PlaybackEnd"/>) advances by each chunk's duration from
/// when the chunk was sent; turnComplete is due when it runs out.
/// </summary>
internal sealed class ActiveReply(int id, ReplyKind kind, int userTurn, ScenarioTurn script)
{
    public int Id { get; } = id;

    public ReplyKind Kind { get; } = kind;

    public int UserTurn { get; } = userTurn;

    public ScenarioTurn Script { get; } = script;

    public ReplyStage Stage { get; set; } = ReplyStage.Waiting;

    /// <summary>Bumped when speech is requested, so a late <see cref="SpeechReady"/> for an older request is ignored.</summary>
    public int Generation { get; set; }

    /// <summary>Something of this answer reached the client (then an interruption is announced, else it is silent).</summary>
    public bool AnythingSent { get; set; }

    /// <summary>The current model turn has content and no turnComplete yet.</summary>
    public bool ModelTurnOpen { get; set; }

    public bool SpeakingAfterTools { get; set; }

    public ReplyPlan? Plan { get; set; }

    public int NextChunk { get; set; }

    public DateTimeOffset PlanStartedAt { get; set; }

    public DateTimeOffset PlaybackEnd { get; set; }

    public bool MidReplyChecked { get; set; }

    public bool TranscriptionOpen { get; set; }

    /// <summary>Output transcription and audio sent in the current model turn.</summary>
    public string Transcript { get; set; } = "";

    public int AudioBytes { get; set; }

    public int Thoughts { get; set; }

    public IReadOnlyList<ScenarioToolCall> BlockingCalls { get; set; } = [];

    public bool BlockingCallsSent { get; set; }

    /// <summary>Vertex: the answer after the tool responses comes as a new model turn once this one completes.</summary>
    public bool AfterToolTurnPending { get; set; }

    public List<(string Name, JsonElement Response)> Responses { get; } = [];

    /// <summary>For <see cref="ReplyKind.ToolResult"/>: what to say.</summary>
    public ScenarioReply? ResultSpeech { get; init; }

    /// <summary>For <see cref="ReplyKind.ToolResult"/>: the text with the result filled in.</summary>
    public string? ResultText { get; init; }

    public void StartModelTurn(DateTimeOffset now)
    {
        Transcript = "";
        AudioBytes = 0;
        Thoughts = 0;
        PlaybackEnd = now;
        ModelTurnOpen = false;
    }
}

internal enum ReplyKind
{
    /// <summary>The answer to a caller turn.</summary>
    Answer,

    /// <summary>The model speaking about a non-blocking tool's result.</summary>
    ToolResult,
}

internal enum ReplyStage
{
    Waiting,
    Rendering,
    Speaking,
    AwaitingTools,
    Playing,
}
