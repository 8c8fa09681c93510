using PhoneAgent.CallReplay.Playback;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Twilio;
using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>
/// One call as Twilio runs it: the voice webhook, then the TwiML, verb by verb, until the call ends.
/// </summary>
/// <remarks>
/// <code>
///  (1) POST voice webhook ──► TwiML ──► (2) verbs in order ──► (3) end of call ──► (4) call-status callback
///                                         │  Connect/Stream: MediaStreamSession until someone ends the stream
///                                         │  Redirect / Dial action / Connect action: fetch the next document
///                                         ▲
///         REST update (FakeTwilioApi) ────┘ cancels the running verb; Hangup ends the call, Twiml/Url replace the document
/// </code>
/// A REST update cancels only the running verb's token; the verb winds down as Twilio would (a stream sends
/// <c>stop</c> and closes), and the document loop then carries out the update.
/// </remarks>
internal sealed partial class SimulatedCall : ISimulatedCall
{
    private readonly FakeTwilioCallerOptions _options;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Lock _lock = new();
    private readonly List<Task> _callbacks = [];
    private readonly List<StreamResult> _streams = [];
    private readonly List<PlayedChunk> _chunks = [];
    private readonly List<Transfer> _transfers = [];
    private readonly List<TwilioWarning> _warnings = [];
    private readonly List<CallbackResult> _callbackResults = [];
    private readonly List<string> _verbs = [];
    private CallUpdate? _pendingUpdate;
    private TaskCompletionSource<bool>? _updateTaken;
    private CancellationTokenSource? _verbCts;
    private string _status = "ringing";
    private string? _error;
    private int _callStatusSequence;

    public SimulatedCall(FakeTwilioCallerOptions options, RecordedCall recording, HttpClient http, TimeProvider time)
    {
        _options = options;
        _time = time;
        Recording = recording;
        CallSid = options.CallSid ?? TwilioSids.NewCallSid();
        Urls = new UrlMap(options.WebhookUrl, options.PublicUrl);
        Webhooks = new TwilioWebhookClient(http, Urls, options.AuthToken, time);
        Timeline = new CallTimeline(options.OnEvent);
        Heard = options.KeepHeardAudio ? new HeardAudio() : null;
        Created = time.GetUtcNow();
        _startTimestamp = time.GetTimestamp();
    }

    public string CallSid { get; }

    public string AccountSid => _options.AccountSid;

    public string From => _options.From;

    public string To => _options.To;

    public string Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    public DateTimeOffset Created { get; }

    public DateTimeOffset? Answered { get; private set; }

    public DateTimeOffset? Ended { get; private set; }

    internal FakeTwilioCallerOptions Options => _options;

    internal TimeProvider Time => _time;

    internal RecordedCall Recording { get; }

    internal UrlMap Urls { get; }

    internal TwilioWebhookClient Webhooks { get; }

    internal CallTimeline Timeline { get; }

    /// <summary>What the caller heard; <see langword="null"/> unless <see cref="FakeTwilioCallerOptions.KeepHeardAudio"/>.</summary>
    internal HeardAudio? Heard { get; }

    internal LatencyRecorder Latency { get; } = new();

    /// <summary>Call time at which the recording started playing into the first stream; it runs on from there.</summary>
    internal TimeSpan? RecordingOrigin { get; set; }

    /// <summary>Call time: since the voice webhook was sent.</summary>
    internal TimeSpan Now => _time.GetElapsedTime(_startTimestamp);

    public async Task<CallResult> RunAsync(CancellationToken cancellationToken)
    {
        using var maxDuration = new CancellationTokenSource(_options.MaxDuration, _time);
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, maxDuration.Token);
        CallEndReason reason;
        Timeline.Add(Now, TimelineKinds.Webhook, $"calling {Urls.ActualWebhook} as Twilio ({From} → {To}, {CallSid}); recording {Recording.Name} ({Recording.Duration.TotalSeconds:0.0} s, {Recording.Utterances.Count} utterances)");
        try
        {
            // :: Step 1, the voice webhook
            var first = await FetchTwimlAsync(Urls.PublicWebhook, _options.WebhookMethod, CallParameters("ringing", includeCallToken: true), "voice webhook", callCts.Token);
            if (first is null)
            {
                reason = CallEndReason.ApplicationError;
            }
            else
            {
                lock (_lock)
                {
                    _status = "in-progress";
                    Answered = _time.GetUtcNow();
                }

                foreach (var progress in new[] { "initiated", "ringing", "answered" })
                {
                    if (_options.CallStatusEvents.Contains(progress, StringComparer.OrdinalIgnoreCase))
                    {
                        SendCallStatus(progress == "answered" ? "in-progress" : progress, progress);
                    }
                }

                // :: Step 2, the documents
                reason = await RunDocumentsAsync(first, Urls.PublicWebhook, callCts.Token);
            }
        }
        catch (OperationCanceledException) when (callCts.IsCancellationRequested)
        {
            reason = cancellationToken.IsCancellationRequested ? CallEndReason.Canceled : CallEndReason.MaxDuration;
        }

        // :: Step 3, the end of the call
        var duration = Now;
        TaskCompletionSource<bool>? unanswered;
        lock (_lock)
        {
            _status = reason == CallEndReason.Rejected ? "busy" : "completed";
            Ended = _time.GetUtcNow();
            unanswered = _updateTaken;
            _updateTaken = null;
            _pendingUpdate = null;
        }

        unanswered?.TrySetResult(reason == CallEndReason.RestHangup);
        Timeline.Add(duration, TimelineKinds.CallEnded, $"call ended: {Describe(reason)} after {duration.TotalSeconds:0.0} s", new Dictionary<string, object?> { ["reason"] = reason.ToString() });

        // :: Step 4, the call status callback, then wait for every callback still in flight
        if (_options.CallStatusEvents.Contains("completed", StringComparer.OrdinalIgnoreCase))
        {
            SendCallStatus(Status, "completed");
        }

        Task[] pending;
        lock (_lock)
        {
            pending = [.. _callbacks];
        }

        await Task.WhenAll(pending);
        return BuildResult(reason, duration);
    }

    /// <inheritdoc/>
    public Task<bool> UpdateAsync(CallUpdate update)
    {
        lock (_lock)
        {
            if (Ended is not null)
            {
                return Task.FromResult(false);
            }

            _updateTaken?.TrySetResult(false); // an update replaced by a newer one before it was carried out
            _pendingUpdate = update;
            _updateTaken = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _verbCts?.Cancel();
            return _updateTaken.Task;
        }
    }

    internal void Warn(int code, string message)
    {
        lock (_lock)
        {
            _warnings.Add(new TwilioWarning(Now, code, message));
        }

        Timeline.Add(Now, TimelineKinds.Warning, $"Twilio {code}: {message}", new Dictionary<string, object?> { ["code"] = code });
    }

    internal void Track(Task callback)
    {
        lock (_lock)
        {
            _callbacks.Add(callback);
        }
    }

    private async Task<CallEndReason> RunDocumentsAsync(TwimlDocument document, Uri documentUrl, CancellationToken callToken)
    {
        var documents = 1;
        while (true)
        {
            Timeline.Add(Now, TimelineKinds.Twiml, document.Describe(), new Dictionary<string, object?> { ["url"] = documentUrl.ToString() });
            VerbOutcome outcome = new VerbOutcome.Continue();
            var update = TakeUpdate();
            foreach (var verb in document.Verbs)
            {
                if (update is not null)
                {
                    break;
                }

                lock (_lock)
                {
                    _verbs.Add(TwimlParser.Describe(verb));
                }

                outcome = await RunVerbAsync(verb, documentUrl, callToken);
                callToken.ThrowIfCancellationRequested();
                update = TakeUpdate();
                if (outcome is not VerbOutcome.Continue)
                {
                    break;
                }
            }

            switch (update)
            {
                case CallUpdate.Hangup:
                    return CallEndReason.RestHangup;
                case CallUpdate.RunTwiml run:
                    outcome = new VerbOutcome.Replace(run.Document, documentUrl);
                    break;
                case CallUpdate.FetchUrl fetch:
                    var fetched = await FetchTwimlAsync(fetch.Url, fetch.Method, CallParameters("in-progress"), "REST update Url", callToken);
                    outcome = fetched is null ? new VerbOutcome.EndCall(CallEndReason.ApplicationError) : new VerbOutcome.Replace(fetched, fetch.Url);
                    break;
            }

            switch (outcome)
            {
                case VerbOutcome.EndCall end:
                    return end.Reason;
                case VerbOutcome.Replace replace when ++documents > _options.MaxDocuments:
                    _error = $"more than {_options.MaxDocuments} TwiML documents in one call (a Redirect loop?)";
                    Warn(11200, _error);
                    return CallEndReason.ApplicationError;
                case VerbOutcome.Replace replace:
                    document = replace.Document;
                    documentUrl = replace.Url;
                    break;
                default:
                    return CallEndReason.EndOfTwiml;
            }
        }
    }

    private CallUpdate? TakeUpdate()
    {
        TaskCompletionSource<bool>? taken;
        CallUpdate? update;
        lock (_lock)
        {
            update = _pendingUpdate;
            taken = _updateTaken;
            _pendingUpdate = null;
            _updateTaken = null;
        }

        taken?.TrySetResult(true);
        if (update is not null)
        {
            Timeline.Add(Now, TimelineKinds.RestRequest, update switch
            {
                CallUpdate.Hangup => "REST update: Status=completed, hanging up",
                CallUpdate.RunTwiml t => $"REST update: new TwiML {t.Document.Describe()}",
                CallUpdate.FetchUrl f => $"REST update: Url={f.Url} ({f.Method})",
                _ => "REST update",
            });
        }

        return update;
    }

    private CallUpdate? PeekUpdate()
    {
        lock (_lock)
        {
            return _pendingUpdate;
        }
    }

    private static string Describe(CallEndReason reason) => reason switch
    {
        CallEndReason.CallerHungUp => "the caller hung up",
        CallEndReason.TwimlHangup => "<Hangup/>",
        CallEndReason.EndOfTwiml => "no more TwiML",
        CallEndReason.Rejected => "<Reject/>",
        CallEndReason.RestHangup => "REST hang-up (Status=completed)",
        CallEndReason.ApplicationError => "application error",
        CallEndReason.MaxDuration => "maximum duration reached",
        _ => "cancelled",
    };

    private CallResult BuildResult(CallEndReason reason, TimeSpan duration)
    {
        lock (_lock)
        {
            var turns = AgentTurnBuilder.Build(_chunks, _options.TurnGap);
            return new CallResult
            {
                CallSid = CallSid,
                AccountSid = AccountSid,
                From = From,
                To = To,
                StartedAt = Created,
                Duration = duration,
                EndReason = reason,
                Error = _error,
                Streams = [.. _streams],
                AgentTurns = turns,
                HeardFrames = AgentTurnBuilder.Frames(_chunks, _options.TurnGap),
                Chunks = [.. _chunks],
                Transfers = [.. _transfers],
                Verbs = [.. _verbs],
                Warnings = [.. _warnings],
                Callbacks = [.. _callbackResults],
                Measurements = Latency.Build(Recording, RecordingOrigin, _chunks, turns, _streams),
                Timeline = Timeline.Events,
                Heard = Heard?.ToArray(duration) ?? ReadOnlyMemory<byte>.Empty,
            };
        }
    }

    /// <summary>What a verb left the document loop to do.</summary>
    private abstract record VerbOutcome
    {
        public sealed record Continue : VerbOutcome;

        public sealed record EndCall(CallEndReason Reason) : VerbOutcome;

        public sealed record Replace(TwimlDocument Document, Uri Url) : VerbOutcome;
    }
}
