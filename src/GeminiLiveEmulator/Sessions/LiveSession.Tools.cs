using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

internal sealed partial class LiveSession
{
    private static readonly JsonElement EmptyArgs = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly Dictionary<string, OpenToolCall> _openCalls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelledCalls = new(StringComparer.Ordinal);
    private readonly Queue<IdleResult> _idleResults = new();
    private long _callSequence;

    private bool IsNonBlocking(string name) => Setup.Functions.FirstOrDefault(f => f.Name == name)?.NonBlocking == true;

    /// <summary>The turn's scripted calls the client declared; the model cannot call anything else.</summary>
    private List<ScenarioToolCall> DeclaredCalls(ActiveReply reply)
    {
        var declared = new List<ScenarioToolCall>();
        foreach (var call in reply.Script.ToolCalls)
        {
            if (Setup.Functions.Any(f => f.Name == call.Name))
            {
                declared.Add(call);
            }
            else
            {
                _recorder.Note("toolCall.skipped", $"scenario calls {call.Name}, which setup did not declare: not called", reply.UserTurn);
            }
        }

        return declared;
    }

    /// <summary>Sends one toolCall with every call in <paramref name="calls"/>; true if a fault then ended the session.</summary>
    private bool SendToolCalls(ActiveReply reply, IReadOnlyList<ScenarioToolCall> calls)
    {
        var wire = new List<(string Name, JsonElement Args, string? Id)>();
        foreach (var call in calls)
        {
            var id = _flavor.NewFunctionCallId();
            var args = call.Args ?? EmptyArgs;
            _openCalls[id] = new OpenToolCall(id, call.Name, args, reply.Id, reply.UserTurn, IsNonBlocking(call.Name), ++_callSequence);
            wire.Add((call.Name, args, id));
            _conversation.History.Add(new HistoryEntry("model", $"[call {call.Name}({args.GetRawText()})]"));
        }

        if (_flavor.SendsEmptyFrames)
        {
            Send(ServerMessages.EmptyServerContent(), reply.UserTurn);
        }

        Send(ServerMessages.ToolCall(wire), reply.UserTurn);
        reply.AnythingSent = reply.ModelTurnOpen = true;
        return FireFaults(ScenarioFaultPoint.ToolCall, reply.UserTurn);
    }

    private void OnToolResponse(ToolResponseMessage message)
    {
        foreach (var response in message.Responses)
        {
            var call = response.Id is { } id
                ? _openCalls.GetValueOrDefault(id)
                : _openCalls.Values.Where(c => c.Name == response.Name).MinBy(c => c.Sequence);
            if (call is null)
            {
                if (response.Id is { } cancelledId && _cancelledCalls.Contains(cancelledId))
                {
                    _recorder.Note("toolResponse.cancelled", $"response for cancelled call {cancelledId} ignored (cancelled calls must not be answered)");
                    continue;
                }

                throw new ProtocolViolationException(CloseReasons.PolicyViolation, CloseReasons.EntityNotFound,
                    $"toolResponse id={response.Id ?? "(none)"} name={response.Name ?? "(none)"} matches no open function call");
            }

            if (response.Name is { } name && name != call.Name)
            {
                throw ProtocolViolationException.InvalidArgument($"toolResponse for {call.Id} names {name}, but the call was {call.Name}");
            }

            _openCalls.Remove(call.Id);
            _conversation.History.Add(new HistoryEntry("user", $"[{call.Name} → {response.Response.GetRawText()}]"));
            if (call.NonBlocking)
            {
                OnNonBlockingResult(call, response);
            }
            else if (_reply is { } reply && reply.Id == call.ReplyId)
            {
                reply.Responses.Add((call.Name, response.Response));
            }
            else
            {
                _recorder.Note("toolResponse", $"response for {call.Id} after its turn ended", call.UserTurn);
            }
        }

        if (_reply is { Stage: ReplyStage.AwaitingTools } waiting && !_openCalls.Values.Any(c => c.ReplyId == waiting.Id && !c.NonBlocking))
        {
            OnToolResponsesComplete(waiting);
        }
    }

    /// <summary>All blocking calls of the answer are answered: speak about them (Vertex: in a new model turn).</summary>
    private void OnToolResponsesComplete(ActiveReply reply)
    {
        if (FireFaults(ScenarioFaultPoint.ToolResponse, reply.UserTurn) || _reply != reply)
        {
            return;
        }

        var hasAnswer = reply.Script.AfterToolResponse is not null;
        if (_flavor == WireFlavor.Vertex)
        {
            reply.AfterToolTurnPending = hasAnswer;
            FinishGeneration(reply);
            return;
        }

        if (!hasAnswer)
        {
            FinishGeneration(reply);
            return;
        }

        SpeakAfterTools(reply);
    }

    private void SpeakAfterTools(ActiveReply reply)
    {
        var speech = reply.Script.AfterToolResponse!;
        reply.SpeakingAfterTools = true;
        var text = speech.Text is { } template ? TemplateRenderer.Render(template, reply.Responses) : null;
        RenderAndSpeak(reply, speech, text);
    }

    /// <summary>
    /// A NON_BLOCKING function's result, by its scheduling: SILENT only joins the context; WHEN_IDLE (the default, and
    /// always on Vertex, which ignores scheduling) is spoken once the model is idle; INTERRUPT cuts the current answer.
    /// </summary>
    private void OnNonBlockingResult(OpenToolCall call, FunctionResponse response)
    {
        var scheduling = _endpoint.IsVertex ? "WHEN_IDLE" : response.Scheduling is null or "SCHEDULING_UNSPECIFIED" ? "WHEN_IDLE" : response.Scheduling;
        var speech = Scenario.TurnFor(call.UserTurn).AfterToolResponse;
        if (scheduling == "SILENT" || speech is null)
        {
            _recorder.Note("toolResponse", $"{call.Name} result added to the context silently ({scheduling})", call.UserTurn);
            return;
        }

        var text = speech.Text is { } template ? TemplateRenderer.Render(template, [(call.Name, response.Response)]) : null;
        if (_reply is null)
        {
            StartToolResultReply(call, speech, text, Options.ReplyLatency);
        }
        else if (scheduling == "INTERRUPT")
        {
            Interrupt(_reply, $"{call.Name} result (INTERRUPT)");
            StartToolResultReply(call, speech, text, TimeSpan.Zero);
        }
        else
        {
            _idleResults.Enqueue(new IdleResult(call, speech, text));
            _recorder.Note("toolResponse", $"{call.Name} result will be spoken when the model is idle (WHEN_IDLE)", call.UserTurn);
        }
    }

    private void StartToolResultReply(OpenToolCall call, ScenarioReply speech, string? text, TimeSpan latency)
    {
        _reply = new ActiveReply(++_nextReplyId, ReplyKind.ToolResult, call.UserTurn, Scenario.TurnFor(call.UserTurn))
        {
            ResultSpeech = speech,
            ResultText = text,
        };
        Schedule(latency, new TimerFired(TimerKind.ReplyStart, _reply.Id));
    }

    private sealed record IdleResult(OpenToolCall Call, ScenarioReply Speech, string? Text);
}
