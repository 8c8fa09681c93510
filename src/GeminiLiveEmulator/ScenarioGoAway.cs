namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// When the service announces the end of a connection: <c>goAway</c> with <c>timeLeft</c>, then, if the client is
/// still there when the time is up, close 1011 "Deadline expired before operation could complete." (as recorded).
/// </summary>
public sealed class ScenarioGoAway
{
    /// <summary>Seconds after setupComplete.</summary>
    public double? AfterSeconds { get; set; }

    /// <summary>Or: when the model starts speaking its answer to this caller turn (mid-utterance).</summary>
    public int? AtTurn { get; set; }

    /// <summary>The <c>timeLeft</c> announced; default 10 s.</summary>
    public double TimeLeftSeconds { get; set; } = 10;

    /// <summary>Every connection of a session (resumed ones too), not only the first.</summary>
    public bool EveryConnection { get; set; }
}
