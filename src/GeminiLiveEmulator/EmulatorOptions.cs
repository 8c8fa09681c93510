using Microsoft.Extensions.Logging.Abstractions;

namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>How an <see cref="EmulatorServer"/> behaves. Defaults match the real service where it is known.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The script the model follows. The default answers every turn (greeting, then generic replies).</summary>
    public EmulatorScenario Scenario { get; set; } = EmulatorScenario.Default;

    /// <summary>The clock for every delay, timer and log timestamp. The default is the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>When set, clients must present this key (<c>x-goog-api-key</c> or <c>?key=</c>); the default accepts any.</summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, a Vertex bearer token must equal it; the default accepts any bearer token.</summary>
    public string? AccessToken { get; set; }

    /// <summary>From the end of the caller's turn to the model's first frame. The default value is 600 ms.</summary>
    public TimeSpan ReplyLatency { get; set; } = TimeSpan.FromMilliseconds(600);

    /// <summary>From setup to setupComplete (messages sent in between close the session). The default value is 200 ms.</summary>
    public TimeSpan SetupLatency { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How much faster than real time reply audio is sent. The default value is 4 (as recorded on 3.8).</summary>
    public double ReplySpeedup { get; set; } = 4;

    /// <summary>Replace every reply with its turn tag tone (see <see cref="EmulatorTurnTag"/>), same length and text.</summary>
    public bool TestMode { get; set; }

    /// <summary>Close 1007 when a resume arrives while the connection that issued the handle is still open.</summary>
    public bool RefuseResumeWhileOldOpen { get; set; }

    /// <summary>How long a resumption handle stays valid (the Developer API documents 2 hours).</summary>
    public TimeSpan ResumptionHandleLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Model ids (without <c>models/</c> or the Vertex prefix) to accept; null accepts any Live model id.</summary>
    public IReadOnlyCollection<string>? Models { get; set; }

    /// <summary>Send server frames as text instead of binary (the real service sends binary).</summary>
    public bool TextFrames { get; set; }

    /// <summary>espeak-ng for text no clip says; null looks for <c>espeak-ng</c> on PATH, "" turns it off.</summary>
    public string? EspeakPath { get; set; }

    /// <summary>Addresses to listen on. The default is <c>http://127.0.0.1:0</c> (a free port on loopback).</summary>
    public IList<string> Urls { get; } = ["http://127.0.0.1:0"];

    /// <summary>
    /// Closed sessions' logs kept in <see cref="EmulatorServer.Sessions"/> (oldest go first; open sessions' logs are
    /// always there). 0 keeps only the open ones. The default value is 1000.
    /// </summary>
    public int MaxRetainedSessions { get; set; } = 1000;

    /// <summary>
    /// Entries kept per session log; later ones are counted (<see cref="EmulatorSessionLog.DroppedEntries"/>), not kept.
    /// 0 keeps none: the logger still gets every line. The default value is 10,000.
    /// </summary>
    /// <remarks>
    /// The standalone emulator sets both limits to 0: nothing can read its in-memory logs, and under load they were
    /// most of its live heap (about 300 entries per call; at 200 concurrent calls 40 of 75 MB), which the garbage
    /// collector promoted in pauses of up to 170 ms that stalled replies mid-sentence.
    /// </remarks>
    public int MaxLogEntriesPerSession { get; set; } = 10_000;

    /// <summary>The longest client message accepted; longer ones close the session with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Scenario);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplyLatency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(SetupLatency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplySpeedup, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetainedSessions);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxLogEntriesPerSession);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024);
        if (Urls.Count == 0)
        {
            throw new ArgumentException("EmulatorOptions.Urls needs at least one address.", nameof(Urls));
        }
    }
}
