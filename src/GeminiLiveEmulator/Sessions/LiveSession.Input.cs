using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

internal sealed partial class LiveSession
{
    private readonly List<VadEvent> _vadEvents = [];
    private CallerAudioAnalyzer? _audio;
    private bool _activityOpen;
    private bool _activityEverStarted;
    private TimeSpan _activityStartedAt;
    private bool _realtimeInputSeen;
    private int _transcribedTurn;

    private CallerAudioAnalyzer CallerAudio => _audio!;

    private bool AutomaticActivityDetection => Setup.RealtimeInput.AutomaticActivityDetection;

    private void OnRealtimeInput(RealtimeInputMessage input)
    {
        _realtimeInputSeen = true;
        if (input.ActivityStart)
        {
            OnActivityStart();
        }

        if (input.Audio is { } audio)
        {
            OnAudio(audio);
        }

        if (input.ActivityEnd)
        {
            OnActivityEnd();
        }

        if (input.AudioStreamEnd)
        {
            OnAudioStreamEnd();
        }

        if (!string.IsNullOrEmpty(input.Text))
        {
            BargeIn("realtimeInput.text");
            CommitCallerTurn(CallerInputKind.Text, input.Text, TimeSpan.Zero, activityEnd: null);
        }
    }

    private void OnAudio(AudioBlob audio)
    {
        if (!AutomaticActivityDetection && !_activityOpen)
        {
            if (!_activityEverStarted)
            {
                throw ProtocolViolationException.InvalidArgument("audio before activityStart while automatic activity detection is disabled");
            }

            CallerAudio.Process(audio.Pcm, audio.SampleRate, _vadEvents);
            _recorder.Note("audio.discarded", $"{audio.Pcm.Length} B outside activityStart/activityEnd");
            return;
        }

        _vadEvents.Clear();
        CallerAudio.Process(audio.Pcm, audio.SampleRate, _vadEvents);
        if (Setup.RealtimeInput.TurnCoverage == "TURN_INCLUDES_ALL_INPUT")
        {
            _conversation.PromptAudioSeconds += audio.Pcm.Length / 2.0 / audio.SampleRate;
        }

        foreach (var vad in _vadEvents)
        {
            if (vad.IsStart)
            {
                OnCallerSpeechStarted(vad.SpeechStart);
            }
            else
            {
                OnCallerSpeechEnded(vad.SpeechDuration, vad.SpeechEnd);
            }

            if (_phase == Phase.Ended)
            {
                return;
            }
        }
    }

    private void OnActivityStart()
    {
        if (AutomaticActivityDetection)
        {
            throw ProtocolViolationException.InvalidArgument("activityStart while automatic activity detection is on");
        }

        if (_activityOpen)
        {
            return;
        }

        _activityOpen = true;
        _activityEverStarted = true;
        _activityStartedAt = CallerAudio.Received;
        OnCallerSpeechStarted(_activityStartedAt);
    }

    private void OnActivityEnd()
    {
        if (AutomaticActivityDetection)
        {
            throw ProtocolViolationException.InvalidArgument("activityEnd while automatic activity detection is on");
        }

        if (!_activityOpen)
        {
            _recorder.Note("activityEnd", "ignored: no activity open");
            return;
        }

        _activityOpen = false;
        OnCallerSpeechEnded(CallerAudio.Received - _activityStartedAt, CallerAudio.Received);
    }

    private void OnAudioStreamEnd()
    {
        if (!AutomaticActivityDetection)
        {
            _recorder.Note("audioStreamEnd", "ignored: automatic activity detection is off");
            return;
        }

        if (CallerAudio.Flush() is { } vad)
        {
            _recorder.Note("audioStreamEnd", "flushes the caller's speech in progress");
            OnCallerSpeechEnded(vad.SpeechDuration, vad.SpeechEnd);
        }
    }

    private void OnCallerSpeechStarted(TimeSpan at)
    {
        _recorder.Note("vad.speechStart", $"caller speech at {at.TotalSeconds:0.000} s of input audio");
        if (_flavor.SendsVoiceActivity)
        {
            Send(ServerMessages.VoiceActivity(start: true, at));
        }

        BargeIn("caller speech");
    }

    private void OnCallerSpeechEnded(TimeSpan duration, TimeSpan endOffset)
    {
        _recorder.Note("vad.speechEnd", $"{duration.TotalMilliseconds:0} ms of speech ending at {endOffset.TotalSeconds:0.000} s of input audio");
        if (Setup.RealtimeInput.TurnCoverage != "TURN_INCLUDES_ALL_INPUT")
        {
            _conversation.PromptAudioSeconds += duration.TotalSeconds;
        }

        CommitCallerTurn(CallerInputKind.Speech, null, duration, endOffset);
    }

    private void OnClientContent(ClientContentMessage content)
    {
        foreach (var turn in content.Turns)
        {
            if (turn.Role is null && _flavor.RejectsMissingRole)
            {
                throw ProtocolViolationException.InvalidArgument($"{_modelId}: a clientContent turn needs a role");
            }
        }

        // gemini-3.1 takes clientContent only to seed history right after setup (historyConfig.initialHistoryInClientContent).
        if (_modelId.StartsWith("gemini-3.1", StringComparison.Ordinal)
            && (!Setup.InitialHistoryInClientContent || _realtimeInputSeen || _conversation.UserTurns > 0))
        {
            throw new ProtocolViolationException(CloseReasons.InvalidPayload, CloseReasons.PreconditionFailed, $"{_modelId} refuses clientContent mid-session");
        }

        foreach (var turn in content.Turns)
        {
            _conversation.History.Add(new HistoryEntry(turn.Role ?? "user", turn.Text));
        }

        // Any clientContent interrupts the current generation (API reference); only turnComplete starts a new one.
        BargeIn("clientContent");
        if (content.TurnComplete)
        {
            var text = content.Turns.LastOrDefault(t => t.Role is null or "user")?.Text ?? "";
            CommitCallerTurn(CallerInputKind.ClientContent, text, TimeSpan.Zero, activityEnd: null, addToHistory: false);
        }
        else
        {
            _recorder.Note("clientContent", "added to the context; turnComplete false: no reply");
        }
    }

    /// <summary>
    /// A caller turn is over: it takes the next scenario turn, its scripted transcription goes out (audio turns only),
    /// and the answer is scheduled after the reply latency (or queued behind the current answer with NO_INTERRUPTION).
    /// </summary>
    private void CommitCallerTurn(CallerInputKind kind, string? text, TimeSpan speech, TimeSpan? activityEnd, bool addToHistory = true)
    {
        var turn = ++_conversation.UserTurns;
        _recorder.Log.TurnCount = turn;
        var script = Scenario.TurnFor(turn);
        if (kind != CallerInputKind.Speech && Scenario.FollowQuotedInstructions && QuotedInstruction.Find(text) is { } quoted)
        {
            // Like the real model, follow an instruction to say a quoted sentence (the bridge's greeting trigger
            // carries the AI disclosure and the greeting this way): speak those words instead of the scripted reply.
            script = new ScenarioTurn
            {
                Caller = script.Caller,
                Reply = new ScenarioReply { Text = quoted },
                ToolCalls = script.ToolCalls,
                AfterToolResponse = script.AfterToolResponse,
                ReplyLatencyMs = script.ReplyLatencyMs,
            };
        }
        if (kind == CallerInputKind.Speech)
        {
            var said = script.Caller ?? Scenario.UnscriptedCaller;
            if (Setup.InputTranscription && _transcribedTurn != turn)
            {
                SendInputTranscription(said, turn);
                _recorder.Note("transcription.scripted", $"input transcription is scripted, not recognised: \"{said}\"", turn);
            }

            _transcribedTurn = turn;
            text = said;
        }

        if (activityEnd is { } end && _flavor.SendsVoiceActivity)
        {
            Send(ServerMessages.VoiceActivity(start: false, end));
        }

        if (addToHistory)
        {
            _conversation.History.Add(new HistoryEntry("user", text ?? ""));
        }

        _recorder.Note("turn", $"caller turn {turn} ({kind}{(kind == CallerInputKind.Speech ? $", {speech.TotalMilliseconds:0} ms" : "")}) → {script.Reply?.ToString() ?? "(no speech)"}"
            + (script.ToolCalls.Count > 0 ? $" + {string.Join(", ", script.ToolCalls.Select(c => c.Name))}" : ""), turn);
        if (FireFaults(ScenarioFaultPoint.CallerTurn, turn))
        {
            return;
        }

        var latency = script.ReplyLatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Options.ReplyLatency;
        if (_reply is not null)
        {
            _pendingTurns.Enqueue(new PendingTurn(turn, Now + latency));
            _recorder.Note("turn", $"caller turn {turn} waits for the current answer to finish", turn);
            return;
        }

        StartReply(turn, script, latency);
    }

    private void SendInputTranscription(string said, int turn)
    {
        if (_flavor.WholeInputTranscription)
        {
            Send(ServerMessages.InputTranscription(said), turn);
            return;
        }

        // 2.x: word-piece deltas, each with its leading space.
        var words = said.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i += 2)
        {
            Send(ServerMessages.InputTranscription(" " + string.Join(' ', words, i, Math.Min(2, words.Length - i))), turn);
        }
    }

    private enum CallerInputKind
    {
        Speech,
        Text,
        ClientContent,
    }

    private sealed record PendingTurn(int Turn, DateTimeOffset DueAt);
}
