using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

internal sealed partial class LiveSession
{
    private const string ThoughtText = "**Answering the Caller**\n\nI'll reply briefly and naturally.\n\n\n";
    private const int ThoughtTokens = 24;

    private readonly Queue<PendingTurn> _pendingTurns = new();
    private ActiveReply? _reply;
    private int _nextReplyId;

    private void StartReply(int turn, ScenarioTurn script, TimeSpan latency)
    {
        _reply = new ActiveReply(++_nextReplyId, ReplyKind.Answer, turn, script);
        Schedule(latency, new TimerFired(TimerKind.ReplyStart, _reply.Id));
    }

    private void OnReplyStart(int id)
    {
        if (_reply?.Id != id || _reply.Stage != ReplyStage.Waiting)
        {
            return;
        }

        var reply = _reply;
        if (FireFaults(ScenarioFaultPoint.Reply, reply.UserTurn) || _reply != reply)
        {
            return;
        }

        reply.StartModelTurn(Now);
        SendResumptionUpdate();
        if (_flavor.SendsEmptyFrames)
        {
            Send(ServerMessages.Empty());
            Send(ServerMessages.EmptyServerContent());
        }

        if (reply.Kind == ReplyKind.ToolResult)
        {
            RenderAndSpeak(reply, reply.ResultSpeech!, reply.ResultText);
            return;
        }

        if (_flavor.FramesOutputTranscription && Setup.OutputTranscription && _audioOutput)
        {
            // Vertex opens the model turn's transcription first, even when a toolCall comes before any speech.
            Send(ServerMessages.OutputTranscription(null), reply.UserTurn);
            reply.TranscriptionOpen = true;
            reply.AnythingSent = reply.ModelTurnOpen = true;
        }

        if (_thinking)
        {
            Send(ServerMessages.TextPart(_flavor, ThoughtText, thought: true), reply.UserTurn);
            reply.Thoughts = ThoughtTokens;
            reply.AnythingSent = reply.ModelTurnOpen = true;
        }

        var calls = DeclaredCalls(reply);
        reply.BlockingCalls = [.. calls.Where(c => !IsNonBlocking(c.Name))];
        var nonBlocking = calls.Where(c => IsNonBlocking(c.Name)).ToList();
        if (nonBlocking.Count > 0)
        {
            // A NON_BLOCKING function runs while the model keeps talking.
            if (SendToolCalls(reply, nonBlocking))
            {
                return;
            }
        }

        if (reply.Script.Reply is { } speech)
        {
            RenderAndSpeak(reply, speech, text: null);
        }
        else
        {
            OnSpeechDone(reply);
        }
    }

    private void RenderAndSpeak(ActiveReply reply, ScenarioReply speech, string? text)
    {
        reply.Stage = ReplyStage.Rendering;
        var generation = ++reply.Generation;
        var rendering = _runtime.Speech.RenderAsync(speech, text, _stopping);
        if (rendering.IsCompletedSuccessfully)
        {
            BeginSpeaking(reply, rendering.Result);
            return;
        }

        _ = DeliverAsync(rendering.AsTask(), reply.Id, generation);
    }

    private async Task DeliverAsync(Task<SpeechClip> rendering, int replyId, int generation)
    {
        try
        {
            Post(new SpeechReady(replyId, generation, await rendering));
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    private void OnSpeechReady(SpeechReady ready)
    {
        if (_reply is { } reply && reply.Id == ready.ReplyId && reply.Generation == ready.Generation && reply.Stage == ReplyStage.Rendering)
        {
            BeginSpeaking(reply, ready.Clip);
        }
    }

    private void BeginSpeaking(ActiveReply reply, SpeechClip clip)
    {
        reply.Stage = ReplyStage.Speaking;
        reply.AnythingSent = reply.ModelTurnOpen = true;
        if (!_audioOutput)
        {
            SendTextReply(reply, clip.Text);
            OnSpeechDone(reply);
            return;
        }

        reply.Plan = Options.TestMode
            ? ReplyPlan.Create(clip, ToneSynthesizer.Tone(EmulatorTurnTag.FrequencyHz(reply.UserTurn), clip.Samples.Length), _flavor, Options.ReplySpeedup)
            : ReplyPlan.For(clip, _flavor, Options.ReplySpeedup);
        reply.NextChunk = 0;
        reply.PlanStartedAt = Now;
        _recorder.Note("reply", $"turn {reply.UserTurn}: {(Options.TestMode ? $"tone {EmulatorTurnTag.FrequencyHz(reply.UserTurn)} Hz for " : "")}{clip.Source} "
            + $"\"{clip.Text}\", {reply.Plan.Duration.TotalMilliseconds:0} ms in {reply.Plan.Chunks.Count} chunks", reply.UserTurn);
        if (_flavor.FramesOutputTranscription && Setup.OutputTranscription && !reply.TranscriptionOpen)
        {
            Send(ServerMessages.OutputTranscription(null), reply.UserTurn);
            reply.TranscriptionOpen = true;
        }

        Step(reply);
    }

    /// <summary>Sends every chunk that is due, then waits for the next one (or ends the generation).</summary>
    private void Step(ActiveReply reply)
    {
        var plan = reply.Plan!;
        var elapsed = Now - reply.PlanStartedAt;
        while (reply.NextChunk < plan.Chunks.Count && plan.Chunks[reply.NextChunk].SendAt <= elapsed)
        {
            SendChunk(reply, plan, plan.Chunks[reply.NextChunk]);
            reply.NextChunk++;
            if (reply.NextChunk == 1 && reply.Kind == ReplyKind.Answer)
            {
                CheckGoAwayAtTurn(reply.UserTurn);
            }

            if (!reply.MidReplyChecked && reply.NextChunk * 2 >= plan.Chunks.Count)
            {
                reply.MidReplyChecked = true;
                if (FireFaults(ScenarioFaultPoint.MidReply, reply.UserTurn))
                {
                    return;
                }
            }

            if (_reply != reply || _phase == Phase.Ended)
            {
                return;
            }
        }

        if (reply.NextChunk < plan.Chunks.Count)
        {
            Schedule(plan.Chunks[reply.NextChunk].SendAt - elapsed, new TimerFired(TimerKind.ReplyStep, reply.Id));
            return;
        }

        OnSpeechDone(reply);
    }

    private void SendChunk(ActiveReply reply, ReplyPlan plan, PlannedChunk chunk)
    {
        var transcript = Setup.OutputTranscription ? chunk.Transcript : [];
        var pcm = plan.Pcm.AsSpan(chunk.Offset, chunk.Length);
        if (_flavor.SendsEmptyFrames)
        {
            Send(ServerMessages.Empty(), reply.UserTurn);
        }

        if (_flavor.BundlesOutputTranscription)
        {
            Send(ServerMessages.Audio(_flavor, pcm, transcript.Count > 0 ? string.Concat(transcript) : null), reply.UserTurn);
        }
        else
        {
            foreach (var delta in transcript)
            {
                Send(ServerMessages.OutputTranscription(delta), reply.UserTurn);
            }

            Send(ServerMessages.Audio(_flavor, pcm, null), reply.UserTurn);
        }

        reply.Transcript += string.Concat(chunk.Transcript);
        reply.AudioBytes += chunk.Length;
        var now = Now;
        reply.PlaybackEnd = (reply.PlaybackEnd > now ? reply.PlaybackEnd : now) + TimeSpan.FromSeconds(chunk.Length / 2.0 / SpeechClip.SampleRate);
    }

    private void SendTextReply(ActiveReply reply, string text)
    {
        var deltas = ReplyPlan.TranscriptDeltas(text);
        var half = Math.Max(1, deltas.Count / 2);
        foreach (var piece in new[] { string.Concat(deltas.Take(half).Select(d => d.Text)), string.Concat(deltas.Skip(half).Select(d => d.Text)) })
        {
            if (piece.Length > 0)
            {
                Send(ServerMessages.TextPart(_flavor, piece, thought: false), reply.UserTurn);
            }
        }

        reply.Transcript += text;
        reply.PlaybackEnd = Now;
    }

    /// <summary>The speech of this model turn is out: call the blocking tools, or end the generation.</summary>
    private void OnSpeechDone(ActiveReply reply)
    {
        if (reply.Kind == ReplyKind.Answer && !reply.SpeakingAfterTools && reply.BlockingCalls.Count > 0 && !reply.BlockingCallsSent)
        {
            reply.BlockingCallsSent = true;
            reply.Stage = ReplyStage.AwaitingTools;
            SendToolCalls(reply, reply.BlockingCalls);
            return;
        }

        FinishGeneration(reply);
    }

    /// <summary>generationComplete now; turnComplete when the playback clock runs out.</summary>
    private void FinishGeneration(ActiveReply reply)
    {
        if (reply.TranscriptionOpen)
        {
            Send(ServerMessages.OutputTranscription(null, finished: true), reply.UserTurn);
            reply.TranscriptionOpen = false;
        }

        Send(ServerMessages.GenerationComplete(), reply.UserTurn);
        reply.ModelTurnOpen = true;
        reply.AnythingSent = true;
        reply.Stage = ReplyStage.Playing;
        var due = reply.PlaybackEnd - Now;
        Schedule(due > TimeSpan.Zero ? due : TimeSpan.Zero, new TimerFired(TimerKind.TurnCompleteDue, reply.Id));
    }

    private void OnTurnCompleteDue(int id)
    {
        if (_reply?.Id != id || _reply.Stage != ReplyStage.Playing)
        {
            return;
        }

        var reply = _reply;
        SendTurnComplete(reply);
        if (reply.AfterToolTurnPending)
        {
            // Vertex: the answer about the tool result is a model turn of its own.
            reply.AfterToolTurnPending = false;
            reply.StartModelTurn(Now);
            SpeakAfterTools(reply);
            return;
        }

        _reply = null;
        if (FireFaults(ScenarioFaultPoint.AfterReply, reply.UserTurn))
        {
            return;
        }

        SendResumptionUpdate();
        StartNext();
    }

    private void SendTurnComplete(ActiveReply reply)
    {
        var promptText = TokenEstimator.Text(Setup.SystemInstruction) + _conversation.History.Sum(h => TokenEstimator.Text(h.Text));
        var usage = new UsageCounts(
            promptText,
            TokenEstimator.Audio(_conversation.PromptAudioSeconds),
            TokenEstimator.Text(reply.Transcript),
            TokenEstimator.Audio(reply.AudioBytes / 2.0 / SpeechClip.SampleRate),
            reply.Thoughts);
        Send(ServerMessages.TurnComplete(_flavor, usage), reply.UserTurn);
        reply.ModelTurnOpen = false;
        if (reply.Transcript.Length > 0)
        {
            _conversation.History.Add(new HistoryEntry("model", reply.Transcript));
        }
    }

    /// <summary>Next in line once the model is idle: a non-blocking result waiting for idle, then a queued caller turn.</summary>
    private void StartNext()
    {
        if (_reply is not null || _phase != Phase.Active)
        {
            return;
        }

        if (_idleResults.TryDequeue(out var result))
        {
            StartToolResultReply(result.Call, result.Speech, result.Text, Options.ReplyLatency);
            return;
        }

        if (_pendingTurns.TryDequeue(out var pending))
        {
            var due = pending.DueAt - Now;
            StartReply(pending.Turn, Scenario.TurnFor(pending.Turn), due > TimeSpan.Zero ? due : TimeSpan.Zero);
        }
    }

}
