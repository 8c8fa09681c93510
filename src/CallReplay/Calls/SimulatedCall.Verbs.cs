using System.Globalization;
using PhoneAgent.CallReplay.Twilio;
using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.Calls;

internal sealed partial class SimulatedCall
{
    /// <summary>Runs one verb under its own token, which a REST update cancels.</summary>
    private async Task<VerbOutcome> RunVerbAsync(TwimlVerb verb, Uri documentUrl, CancellationToken callToken)
    {
        using var verbCts = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        lock (_lock)
        {
            _verbCts = verbCts;
            if (_pendingUpdate is not null)
            {
                verbCts.Cancel();
            }
        }

        try
        {
            return verb switch
            {
                SayVerb say => await SayAsync(say, verbCts.Token),
                PlayVerb play => await PlayAsync(play, verbCts.Token),
                PauseVerb pause => await WaitAsync(pause.Length, $"<Pause> {pause.Length.TotalSeconds:0.#} s", verbCts.Token),
                HangupVerb => Note(new VerbOutcome.EndCall(CallEndReason.TwimlHangup), "<Hangup/>"),
                RejectVerb reject => Note(new VerbOutcome.EndCall(CallEndReason.Rejected), $"<Reject reason=\"{reject.Reason}\"/>"),
                RedirectVerb redirect => await RedirectAsync(redirect, documentUrl, callToken),
                DialVerb dial => await DialAsync(dial, documentUrl, verbCts.Token, callToken),
                EnqueueVerb enqueue => await EnqueueAsync(enqueue, documentUrl, verbCts.Token, callToken),
                ConnectStreamVerb connect => await ConnectStreamAsync(connect, documentUrl, verbCts.Token, callToken),
                StartVerb start => Note(new VerbOutcome.Continue(), $"<Start> {string.Join(", ", start.Nouns)} (noted; not simulated)"),
                UnsupportedVerb other => Unsupported(other),
                _ => new VerbOutcome.Continue(),
            };
        }
        catch (OperationCanceledException) when (verbCts.IsCancellationRequested && !callToken.IsCancellationRequested)
        {
            return new VerbOutcome.Continue(); // a REST update: the document loop takes it up
        }
        finally
        {
            lock (_lock)
            {
                _verbCts = null;
            }
        }
    }

    private VerbOutcome Note(VerbOutcome outcome, string text)
    {
        Timeline.Add(Now, TimelineKinds.Verb, text);
        return outcome;
    }

    private VerbOutcome.Continue Unsupported(UnsupportedVerb verb)
    {
        Warn(12200, $"<{verb.Element}> is not simulated by CallReplay; skipped");
        return new VerbOutcome.Continue();
    }

    private Task<VerbOutcome> SayAsync(SayVerb say, CancellationToken token) =>
        WaitAsync(SayLength(say), $"Twilio says: \"{say.Text}\"", token);

    private Task<VerbOutcome> PlayAsync(PlayVerb play, CancellationToken token)
    {
        var loops = Math.Clamp(play.Loop == 0 ? 100 : play.Loop, 1, 100);
        return play.Digits is { } digits
            ? WaitAsync(TimeSpan.FromMilliseconds(250 * digits.Length), $"Twilio plays DTMF digits {digits}", token)
            : WaitAsync(_options.PlayDuration * loops, $"Twilio plays {play.Url}", token);
    }

    private async Task<VerbOutcome> WaitAsync(TimeSpan length, string text, CancellationToken token)
    {
        Timeline.Add(Now, TimelineKinds.Verb, text, new Dictionary<string, object?> { ["lengthMs"] = length.TotalMilliseconds });
        await DelayAsync(length, token);
        return new VerbOutcome.Continue();
    }

    /// <summary>Waits <paramref name="length"/> scaled by <see cref="FakeTwilioCallerOptions.TwimlTimeScale"/>.</summary>
    private Task DelayAsync(TimeSpan length, CancellationToken token)
    {
        var scaled = length * _options.TwimlTimeScale;
        token.ThrowIfCancellationRequested();
        return scaled > TimeSpan.Zero ? Task.Delay(scaled, _time, token) : Task.CompletedTask;
    }

    private async Task<VerbOutcome> RedirectAsync(RedirectVerb redirect, Uri documentUrl, CancellationToken callToken)
    {
        var url = new Uri(documentUrl, redirect.Url);
        Timeline.Add(Now, TimelineKinds.Verb, $"<Redirect> to {url}");
        return await FetchNextAsync(url, redirect.Method, CallParameters("in-progress"), "Redirect", callToken);
    }

    private async Task<VerbOutcome> FetchNextAsync(Uri url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters, string what, CancellationToken callToken)
    {
        var document = await FetchTwimlAsync(url, method, parameters, what, callToken);
        return document is null ? new VerbOutcome.EndCall(CallEndReason.ApplicationError) : new VerbOutcome.Replace(document, url);
    }

    private async Task<VerbOutcome> DialAsync(DialVerb dial, Uri documentUrl, CancellationToken token, CancellationToken callToken)
    {
        var target = string.Join(", ", dial.Targets);
        Timeline.Add(Now, TimelineKinds.Transfer, $"transferred to {target} (<Dial>, the dialled party: {_options.DialOutcome})", new Dictionary<string, object?>
        {
            ["verb"] = "Dial",
            ["target"] = target,
        });
        var dialSid = TwilioSids.NewCallSid();
        var talked = TimeSpan.Zero;
        string status;
        switch (_options.DialOutcome)
        {
            case DialOutcome.Completed:
                await DelayAsync(_options.DialRingTime, token);
                talked = Min(_options.DialTalkTime, dial.TimeLimit);
                await DelayAsync(talked, token);
                status = "completed";
                break;
            case DialOutcome.NoAnswer:
                await DelayAsync(dial.Timeout, token);
                status = "no-answer";
                break;
            case DialOutcome.Busy:
                await DelayAsync(_options.DialRingTime / 2, token);
                status = "busy";
                break;
            case DialOutcome.CallerHangsUp:
                await DelayAsync(_options.DialRingTime, token);
                status = "canceled";
                break;
            default:
                status = "failed";
                break;
        }

        lock (_lock)
        {
            _transfers.Add(new Transfer(Now, "Dial", target, status));
        }

        Timeline.Add(Now, TimelineKinds.Transfer, $"<Dial> {target} ended: DialCallStatus={status}", new Dictionary<string, object?> { ["dialCallStatus"] = status });
        var callerLeft = _options.DialOutcome == DialOutcome.CallerHangsUp;
        if (dial.Action is null)
        {
            return callerLeft ? new VerbOutcome.EndCall(CallEndReason.CallerHungUp) : new VerbOutcome.Continue();
        }

        var parameters = CallParameters(callerLeft ? "completed" : "in-progress");
        parameters.Add(new("DialCallStatus", status));
        parameters.Add(new("DialCallSid", dialSid));
        if (status == "completed")
        {
            parameters.Add(new("DialCallDuration", ((int)Math.Round(talked.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        }

        var dialActionUrl = new Uri(documentUrl, dial.Action);
        if (callerLeft)
        {
            // The caller is gone: the action is told, and whatever it answers is not carried out.
            await Webhooks.SendAsync(dialActionUrl, dial.Method, parameters, _options.WebhookTimeout, callToken);
            return new VerbOutcome.EndCall(CallEndReason.CallerHungUp);
        }

        return await FetchNextAsync(dialActionUrl, dial.Method, parameters, "Dial action", callToken);
    }

    private async Task<VerbOutcome> EnqueueAsync(EnqueueVerb enqueue, Uri documentUrl, CancellationToken token, CancellationToken callToken)
    {
        Timeline.Add(Now, TimelineKinds.Transfer, $"transferred to queue \"{enqueue.Queue}\" (<Enqueue>, the human: {_options.DialOutcome})", new Dictionary<string, object?>
        {
            ["verb"] = "Enqueue",
            ["target"] = enqueue.Queue,
        });
        var queueSid = TwilioSids.NewQueueSid();
        TimeSpan waited;
        string result;
        switch (_options.DialOutcome)
        {
            case DialOutcome.Completed:
                waited = _options.DialRingTime;
                await DelayAsync(waited, token);
                result = "bridged";
                break;
            case DialOutcome.NoAnswer:
                (waited, result) = await HoldInQueueAsync(enqueue, documentUrl, queueSid, token);
                break;
            case DialOutcome.CallerHangsUp:
                waited = _options.DialRingTime;
                await DelayAsync(waited, token);
                result = "hangup";
                break;
            case DialOutcome.Busy:
                waited = TimeSpan.Zero;
                result = "queue-full";
                break;
            default:
                waited = TimeSpan.Zero;
                result = "error";
                break;
        }

        if (result == "bridged")
        {
            await DelayAsync(_options.DialTalkTime, token);
        }

        lock (_lock)
        {
            _transfers.Add(new Transfer(Now, "Enqueue", enqueue.Queue, result));
        }

        Timeline.Add(Now, TimelineKinds.Transfer, $"<Enqueue> {enqueue.Queue} ended: QueueResult={result}", new Dictionary<string, object?> { ["queueResult"] = result });
        if (result == "ended")
        {
            return new VerbOutcome.EndCall(CallEndReason.TwimlHangup); // the wait TwiML hung up
        }

        if (enqueue.Action is null)
        {
            return result == "hangup" ? new VerbOutcome.EndCall(CallEndReason.CallerHungUp) : new VerbOutcome.Continue();
        }

        var parameters = CallParameters(result == "hangup" ? "completed" : "in-progress");
        parameters.Add(new("QueueResult", result));
        parameters.Add(new("QueueSid", queueSid));
        parameters.Add(new("QueueTime", QueueSeconds(waited)));
        var actionUrl = new Uri(documentUrl, enqueue.Action);
        if (result == "hangup")
        {
            // The caller gave up waiting: Twilio still reports it to the action URL, and the call is over.
            await Webhooks.SendAsync(actionUrl, enqueue.Method, parameters, _options.WebhookTimeout, callToken);
            return new VerbOutcome.EndCall(CallEndReason.CallerHungUp);
        }

        return await FetchNextAsync(actionUrl, enqueue.Method, parameters, "Enqueue action", callToken);
    }

    /// <summary>
    /// Nobody takes the call: the caller hears the queue's wait TwiML, requested again (with the time waited so far)
    /// each time it ends, until it says <c>&lt;Leave/&gt;</c>. Returns the time waited (simulated: not scaled by
    /// <see cref="FakeTwilioCallerOptions.TwimlTimeScale"/>, so a wait URL that counts <c>QueueTime</c> still ends when
    /// the waits are instant) and <c>leave</c>, or <c>ended</c> when the wait TwiML hung up.
    /// </summary>
    private async Task<(TimeSpan Waited, string Result)> HoldInQueueAsync(EnqueueVerb enqueue, Uri documentUrl, string queueSid, CancellationToken token)
    {
        if (enqueue.WaitUrl is null)
        {
            await DelayAsync(_options.DialRingTime, token);
            return (_options.DialRingTime, "leave");
        }

        var waitUrl = new Uri(documentUrl, enqueue.WaitUrl);
        var waited = TimeSpan.Zero;
        for (var fetches = 0; fetches < _options.MaxDocuments; fetches++)
        {
            var parameters = CallParameters("in-progress");
            parameters.Add(new("QueueSid", queueSid));
            parameters.Add(new("QueueTime", QueueSeconds(waited)));
            parameters.Add(new("QueuePosition", "1"));
            parameters.Add(new("CurrentQueueSize", "1"));
            parameters.Add(new("AvgQueueTime", QueueSeconds(waited)));
            var document = await FetchTwimlAsync(waitUrl, enqueue.WaitUrlMethod, parameters, "Enqueue waitUrl", token);
            if (document is null)
            {
                return (waited, "error");
            }

            foreach (var verb in document.Verbs)
            {
                TimeSpan length;
                switch (verb)
                {
                    case LeaveVerb:
                        Timeline.Add(Now, TimelineKinds.Verb, "<Leave/>: the caller leaves the queue");
                        return (waited, "leave");
                    case HangupVerb:
                        Timeline.Add(Now, TimelineKinds.Verb, "<Hangup/> while waiting in the queue");
                        return (waited, "ended");
                    case SayVerb say:
                        length = SayLength(say);
                        await WaitAsync(length, $"queue hold, Twilio says: \"{say.Text}\"", token);
                        break;
                    case PlayVerb play:
                        length = _options.PlayDuration * Math.Clamp(play.Loop == 0 ? 100 : play.Loop, 1, 100);
                        await WaitAsync(length, $"queue hold, Twilio plays {play.Url}", token);
                        break;
                    case PauseVerb pause:
                        length = pause.Length;
                        await WaitAsync(length, $"queue hold, <Pause> {pause.Length.TotalSeconds:0.#} s", token);
                        break;
                    default:
                        Warn(12200, $"<{verb.Name}> in a queue's wait TwiML is not simulated by CallReplay; skipped");
                        length = TimeSpan.Zero;
                        break;
                }

                waited += length;
            }

            if (document.Verbs.Count == 0)
            {
                // Twilio would loop an empty document at once; hold a moment so the loop moves on.
                waited += TimeSpan.FromSeconds(1);
            }
        }

        Warn(12200, $"the queue's wait TwiML did not say <Leave/> in {_options.MaxDocuments} documents; the caller leaves");
        return (waited, "leave");
    }

    private static string QueueSeconds(TimeSpan waited) => ((int)Math.Round(waited.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private TimeSpan SayLength(SayVerb say)
    {
        var words = Math.Max(1, say.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        return _options.SayWordDuration * words * Math.Clamp(say.Loop == 0 ? 100 : say.Loop, 1, 100);
    }

    private async Task<VerbOutcome> ConnectStreamAsync(ConnectStreamVerb connect, Uri documentUrl, CancellationToken token, CancellationToken callToken)
    {
        int number;
        lock (_lock)
        {
            number = _streams.Count + 1;
        }

        var session = new MediaStreamSession(this, connect.Stream, documentUrl, number);
        var result = await session.RunAsync(token);
        if (result.EndedBy == StreamEndedBy.CallEnded && !callToken.IsCancellationRequested)
        {
            result = result with { EndedBy = PeekUpdate() is CallUpdate.Hangup ? StreamEndedBy.RestHangup : StreamEndedBy.RestUpdate };
        }

        lock (_lock)
        {
            _streams.Add(result);
            _chunks.AddRange(session.Chunks);
        }

        switch (result.EndedBy)
        {
            case StreamEndedBy.CallerHangup:
                return new VerbOutcome.EndCall(CallEndReason.CallerHungUp);
            case StreamEndedBy.CallEnded or StreamEndedBy.RestHangup or StreamEndedBy.RestUpdate:
                return new VerbOutcome.Continue();
        }

        // The stream ended on the server's side (or never started): <Connect action>, else the next verb.
        if (connect.Action is null)
        {
            return new VerbOutcome.Continue();
        }

        return await FetchNextAsync(new Uri(documentUrl, connect.Action), connect.Method, CallParameters("in-progress"), "Connect action", callToken);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Twilio's stream error text for a failure code (what <c>StreamError</c> carries).</summary>
    internal static string StreamErrorText(int code) => code switch
    {
        31901 => "Stream - WebSocket - Connection Timeout",
        31902 => "Stream - WebSocket - Connection Refused",
        31903 => "Stream - WebSocket - Connection Broken Pipe",
        31920 => "Stream - WebSocket - Handshake Error",
        31922 => "Stream - WebSocket - Unsupported URL Scheme",
        31941 => "Stream - Invalid Track configuration",
        _ => $"Stream - Error {code}",
    };
}
