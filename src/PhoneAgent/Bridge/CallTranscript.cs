using System.Text;
using PhoneAgent.Calls;

namespace PhoneAgent.Bridge;

/// <summary>
/// The transcript of one stream: caller turns (input transcription), agent turns (output transcription, cut to what
/// was heard), interruptions, key presses and the bridge's own messages, with times from the stream's start. Written
/// to the log only when <c>Logging:Transcripts</c> is true (off by default: caller speech is PII).
/// </summary>
internal sealed partial class CallTranscript(TimeProvider timeProvider, bool logLines, ILogger logger)
{
    private readonly long _origin = timeProvider.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly List<TranscriptEntry> _entries = [];
    private readonly SortedDictionary<long, AgentTurn> _agent = [];
    private readonly StringBuilder _caller = new();
    private TimeSpan _callerAt;

    private TimeSpan Now => timeProvider.GetElapsedTime(_origin);

    public void CallerText(string text, bool finished)
    {
        lock (_gate)
        {
            if (_caller.Length == 0)
            {
                _callerAt = Now;
            }

            _caller.Append(text);
            if (finished)
            {
                CloseCallerLocked();
            }
        }
    }

    public void AgentText(long turn, string text)
    {
        lock (_gate)
        {
            CloseCallerLocked();
            Agent(turn).Text.Append(text);
        }
    }

    /// <summary>The agent's text of <paramref name="turn"/> as received so far.</summary>
    public string AgentTurnText(long turn)
    {
        lock (_gate)
        {
            return _agent.TryGetValue(turn, out var agent) ? agent.Text.ToString() : "";
        }
    }

    public void AgentTurnStarted(long turn, int playoutTurn)
    {
        lock (_gate)
        {
            CloseCallerLocked();
            Agent(turn).PlayoutTurn = playoutTurn;
        }
    }

    public void AgentTurnEnded(long turn)
    {
        lock (_gate)
        {
            if (_agent.TryGetValue(turn, out var agent) && agent.Text.Length > 0 && !agent.Logged)
            {
                agent.Logged = true;
                LogLine(agent.At, "agent", agent.Text.ToString().Trim(), TranscriptEntryKind.Speech);
            }
        }
    }

    public void AgentInterrupted(long turn, string heard)
    {
        lock (_gate)
        {
            var agent = Agent(turn);
            agent.Heard = heard;
            agent.Logged = true;
            LogLine(agent.At, "agent", heard, TranscriptEntryKind.Interrupted);
        }
    }

    public void Dtmf(string digit) => Add("caller", digit, TranscriptEntryKind.Dtmf);

    public void Event(string text) => Add("system", text, TranscriptEntryKind.Event);

    /// <summary>
    /// The finished transcript: agent turns that were not interrupted are cut by <paramref name="heardFraction"/>
    /// (1 when their final mark was played).
    /// </summary>
    public IReadOnlyList<TranscriptEntry> Finish(Func<int, double> heardFraction)
    {
        lock (_gate)
        {
            CloseCallerLocked();
            var all = new List<TranscriptEntry>(_entries);
            foreach (var (_, agent) in _agent)
            {
                var text = agent.Text.ToString().Trim();
                if (agent.Heard is { } heard)
                {
                    all.Add(new TranscriptEntry(agent.At, "agent", heard, TranscriptEntryKind.Interrupted));
                }
                else if (text.Length > 0)
                {
                    var fraction = agent.PlayoutTurn == 0 ? 1 : heardFraction(agent.PlayoutTurn);
                    var cut = fraction >= 1 ? text : HeardText.Cut(text, fraction);
                    all.Add(new TranscriptEntry(agent.At, "agent", cut, fraction >= 1 ? TranscriptEntryKind.Speech : TranscriptEntryKind.Interrupted));
                }
            }

            all.Sort(static (a, b) => a.At.CompareTo(b.At));
            return all;
        }
    }

    private void Add(string speaker, string text, TranscriptEntryKind kind)
    {
        lock (_gate)
        {
            CloseCallerLocked();
            var entry = new TranscriptEntry(Now, speaker, text, kind);
            _entries.Add(entry);
            LogLine(entry.At, speaker, text, kind);
        }
    }

    private AgentTurn Agent(long turn)
    {
        if (!_agent.TryGetValue(turn, out var agent))
        {
            agent = new AgentTurn(Now);
            _agent[turn] = agent;
        }

        return agent;
    }

    private void CloseCallerLocked()
    {
        var text = _caller.ToString().Trim();
        _caller.Clear();
        if (text.Length > 0)
        {
            _entries.Add(new TranscriptEntry(_callerAt, "caller", text));
            LogLine(_callerAt, "caller", text, TranscriptEntryKind.Speech);
        }
    }

    private void LogLine(TimeSpan at, string speaker, string text, TranscriptEntryKind kind)
    {
        if (logLines)
        {
            Log.Line(logger, at.TotalSeconds, speaker, kind, text);
        }
    }

    private sealed class AgentTurn(TimeSpan at)
    {
        public TimeSpan At { get; } = at;

        public StringBuilder Text { get; } = new();

        public int PlayoutTurn { get; set; }

        public string? Heard { get; set; }

        public bool Logged { get; set; }
    }

    // EventIds 580-589 belong to this class.
    private static partial class Log
    {
        [LoggerMessage(580, LogLevel.Information, "Transcript {AtSeconds:0.00}s {Speaker} ({Kind}): {Text}", EventName = "TranscriptLine")]
        public static partial void Line(ILogger logger, double atSeconds, string speaker, TranscriptEntryKind kind, string text);
    }
}
