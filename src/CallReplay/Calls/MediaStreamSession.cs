using System.Net.WebSockets;
using System.Threading.Channels;
using PhoneAgent.CallReplay.Playback;
using PhoneAgent.CallReplay.Streams;
using PhoneAgent.CallReplay.Twilio;
using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>
/// One bidirectional Media Stream, from Twilio's side: the signed upgrade, <c>connected</c> and <c>start</c>, caller
/// frames on an absolute 20 ms clock, agent audio played on the simulated clock with mark echoes, and <c>stop</c>.
/// </summary>
/// <remarks>
/// <code>
///  (1) checks + signed upgrade ─► (2) connected, start, stream-started callback
///  (3) three loops until one side ends the stream:
///        media sender ── frame n of the recording at origin + (n+1)·20 ms ──► writer ──► socket
///        receiver     ◄── media / mark / clear from the server ──► PlaybackSimulator ──► mark echoes ──► writer
///        playback     ── wakes when the simulator has something due (a mark, the end of a chunk)
///  (4) the caller hangs up (stop + close) | a REST update (stop + close) | the server closes (stop if configured)
///  (5) unplayed audio dropped, stream-stopped callback
/// </code>
/// One writer owns the socket: every message goes through <see cref="_outgoing"/>, so sequence numbers follow send order.
/// </remarks>
internal sealed partial class MediaStreamSession
{
    private readonly SimulatedCall _call;
    private readonly StreamNoun _noun;
    private readonly Uri _documentUrl;
    private readonly int _number;
    private readonly string _streamSid = TwilioSids.NewStreamSid();
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<PlaybackEvent> _events = [];
    private PlaybackSimulator? _playback;
    private TimeSpan _streamStart;
    private bool _stopping;
    private long _framesSent;
    private long _framesSuppressed;
    private int _marksReceived;
    private readonly List<string> _markNames = []; // written by the receive loop only, read once the stream has ended
    private int _marksPlayed;
    private int _marksCleared;
    private int _clears;
    private int _invalid;
    private int _binary;
    private int _oddSized;
    private TimeSpan _droppedAtEnd;

    public MediaStreamSession(SimulatedCall call, StreamNoun noun, Uri documentUrl, int number)
    {
        _call = call;
        _noun = noun;
        _documentUrl = documentUrl;
        _number = number;
        Identity = new StreamIdentity(call.AccountSid, call.CallSid, _streamSid);
    }

    public StreamIdentity Identity { get; }

    public IReadOnlyList<PlayedChunk> Chunks => _playback?.Chunks ?? [];

    private TwilioBehavior Behavior => _call.Options.Behavior;

    public async Task<StreamResult> RunAsync(CancellationToken token)
    {
        // :: Step 1, the URL and the signed upgrade
        var attemptAt = _call.Now;
        var publicUrl = StreamUrl();
        if (Check(publicUrl) is { } refusal)
        {
            return Failed(attemptAt, publicUrl, publicUrl, refusal.Code, refusal.Message, StreamEndedBy.ConnectFailed);
        }

        var actualUrl = _call.Urls.ToActual(publicUrl);
        var signature = TwilioSignature.ComputeUpgrade(_call.Options.AuthToken, publicUrl.OriginalString, Behavior.UpgradeSignature);
        _call.Timeline.Add(attemptAt, TimelineKinds.StreamConnecting, $"stream {_number}: connecting to {actualUrl} (signed as {Behavior.UpgradeSignature})", new Dictionary<string, object?>
        {
            ["stream"] = _number,
            ["url"] = publicUrl.ToString(),
            ["connectedUrl"] = actualUrl.ToString(),
        });
        var (socket, failure) = await ConnectAsync(actualUrl, signature, token);
        if (socket is null)
        {
            return failure is null
                ? Result(attemptAt, publicUrl, actualUrl, StreamEndedBy.CallEnded, stopSent: false)
                : Failed(attemptAt, publicUrl, actualUrl, failure.Value.Code, failure.Value.Message, failure.Value.Code == 31920 ? StreamEndedBy.HandshakeRejected : StreamEndedBy.ConnectFailed, failure.Value.Status);
        }

        using (socket)
        {
            return await StreamAsync(socket, publicUrl, actualUrl, token);
        }
    }

    private async Task<StreamResult> StreamAsync(WebSocket socket, Uri publicUrl, Uri actualUrl, CancellationToken token)
    {
        // :: Step 2, connected + start
        _streamStart = _call.Now;
        _call.RecordingOrigin ??= _streamStart;
        _playback = new PlaybackSimulator(new PlaybackOptions
        {
            Origin = _streamStart,
            BufferCap = Behavior.OutboundBufferCap,
            DetectToneTags = _call.Options.DetectToneTags,
        });
        _outgoing.Writer.TryWrite(new Outgoing(OutgoingKind.Connected));
        _outgoing.Writer.TryWrite(new Outgoing(OutgoingKind.Start));
        var writer = WriteLoopAsync(socket);
        _call.SendStreamStatus(_noun, _documentUrl, _streamSid, "stream-started");
        _call.Timeline.Add(_streamStart, TimelineKinds.StreamStarted, $"stream {_number} {_streamSid} started ({_noun.Parameters.Count} custom parameter(s): {string.Join(", ", _noun.Parameters.Select(p => p.Key))})", new Dictionary<string, object?>
        {
            ["stream"] = _number,
            ["streamSid"] = _streamSid,
        });

        // :: Step 3, the loops
        using var loops = CancellationTokenSource.CreateLinkedTokenSource(token);
        var receive = ReceiveLoopAsync(socket);
        var sender = SendMediaLoopAsync(loops.Token);
        var playback = PlaybackLoopAsync(loops.Token);
        var fault = BreakConnectionAsync(socket, loops.Token);
        var first = await Task.WhenAny(receive, sender);

        // :: Step 4, whoever ended it
        StreamEndedBy endedBy;
        var stopSent = false;
        WebSocketCloseStatus? closeStatus = null;
        string? closeDescription = null;
        if (first == receive)
        {
            var end = await receive;
            await loops.CancelAsync();
            await sender;
            (closeStatus, closeDescription) = (end.Status, end.Description);
            endedBy = end.Closed ? StreamEndedBy.Server : StreamEndedBy.SocketError;
            if (end.Closed && Behavior.StopBeforeServerClose)
            {
                stopSent = Stop();
            }

            _outgoing.Writer.TryComplete();
            await writer;
            if (end.Closed)
            {
                await CloseQuietlyAsync(socket);
            }
        }
        else
        {
            endedBy = await sender ? StreamEndedBy.CallerHangup : StreamEndedBy.CallEnded;
            await loops.CancelAsync();
            stopSent = Stop();
            _outgoing.Writer.TryComplete();
            await writer;
            await CloseQuietlyAsync(socket);
            using var closeWait = new CancellationTokenSource();
            var answered = await Task.WhenAny(receive, Task.Delay(_call.Options.CloseTimeout, _call.Time, closeWait.Token));
            await closeWait.CancelAsync();
            if (answered != receive)
            {
                socket.Abort();
            }

            var end = await receive;
            (closeStatus, closeDescription) = (end.Status, end.Description);
        }

        await playback;
        await fault;

        // :: Step 5, what was never heard, and the stream status callback
        lock (_gate)
        {
            _playback.EndStream(_call.Now, _events);
            Dispatch();
        }

        var ended = _call.Now;
        if (endedBy == StreamEndedBy.SocketError)
        {
            _call.Warn(31903, $"stream {_number}: the connection broke without a close");
            _call.SendStreamStatus(_noun, _documentUrl, _streamSid, "stream-error", SimulatedCall.StreamErrorText(31903));
        }
        else
        {
            _call.SendStreamStatus(_noun, _documentUrl, _streamSid, "stream-stopped");
        }

        _call.Timeline.Add(ended, TimelineKinds.StreamStopped, $"stream {_number} ended ({Describe(endedBy, closeStatus, closeDescription)}{(stopSent ? ", stop sent" : ", no stop")}); {_framesSent} frames sent, {_marksReceived} marks, {_clears} clear(s)", new Dictionary<string, object?>
        {
            ["stream"] = _number,
            ["endedBy"] = endedBy.ToString(),
            ["closeStatus"] = (int?)closeStatus,
            ["stopSent"] = stopSent,
        });
        return Result(_streamStart, publicUrl, actualUrl, endedBy, stopSent) with
        {
            Ended = ended,
            CloseStatus = closeStatus,
            CloseDescription = closeDescription,
        };
    }

    /// <summary>The stream URL of the TwiML in its public form: resolved against the document, http(s) → ws(s).</summary>
    private Uri StreamUrl()
    {
        var resolved = new Uri(_documentUrl, _noun.Url);
        var scheme = resolved.Scheme switch
        {
            "https" => "wss",
            "http" => "ws",
            _ => resolved.Scheme,
        };
        if (scheme != resolved.Scheme)
        {
            resolved = new UriBuilder(resolved) { Scheme = scheme, Port = resolved.IsDefaultPort ? -1 : resolved.Port }.Uri;
        }

        if (resolved.Query.Length > 0 && !Behavior.KeepStreamUrlQuery)
        {
            _call.Timeline.Add(_call.Now, TimelineKinds.Warning, $"stream url {resolved} has a query string; Twilio is reported to drop it (TwilioBehavior.KeepStreamUrlQuery)");
            resolved = new Uri(resolved.GetLeftPart(UriPartial.Path));
        }

        return resolved;
    }

    /// <summary>What Twilio refuses before connecting: a scheme other than wss (31922), a track other than inbound (31941).</summary>
    private (int Code, string Message)? Check(Uri url)
    {
        if (Uri.TryCreate(_noun.Url, UriKind.Absolute, out var written) && written.Scheme is not ("ws" or "wss"))
        {
            return (31922, $"stream url {_noun.Url} is not a wss URL");
        }

        if (url.Scheme == "ws")
        {
            if (Behavior.RequireWss)
            {
                return (31922, $"stream url {url} is not wss");
            }

            _call.Timeline.Add(_call.Now, TimelineKinds.Warning, $"stream url {url} is not wss: Twilio would refuse it (31922); allowed for a local server (TwilioBehavior.RequireWss)");
        }
        else if (url.Scheme != "wss")
        {
            return (31922, $"stream url {url} has an unsupported scheme");
        }

        return _noun.Track != "inbound_track" ? (31941, $"track=\"{_noun.Track}\" is not allowed on <Connect><Stream> (only inbound_track)") : null;
    }

    private async Task<(WebSocket? Socket, (int Code, string Message, int? Status)? Failure)> ConnectAsync(Uri url, string? signature, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(_call.Options.ConnectTimeout, _call.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        if (_call.Options.WebSocketConnector is { } connector)
        {
            try
            {
                return (await connector(url, signature, linked.Token), null);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return (null, null);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or InvalidOperationException or OperationCanceledException)
            {
                return (null, (31920, $"stream {_number}: upgrade failed ({e.Message})", null));
            }
        }

        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("User-Agent", "Twilio.TmeWs/1.0");
        if (signature is not null)
        {
            socket.Options.SetRequestHeader(CallReplayDefaults.SignatureHeader, signature);
        }

        try
        {
            await socket.ConnectAsync(url, linked.Token);
            return (socket, null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, null);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return (null, (31901, $"stream {_number}: no answer to the upgrade within {_call.Options.ConnectTimeout.TotalSeconds:0.#} s", null));
        }
        catch (WebSocketException e)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            return status != 0
                ? (null, (31920, $"stream {_number}: the server answered the upgrade with HTTP {status}", status))
                : (null, (31902, $"stream {_number}: connection failed ({e.Message})", null));
        }
    }

    private StreamResult Failed(TimeSpan at, Uri publicUrl, Uri actualUrl, int code, string message, StreamEndedBy endedBy, int? status = null)
    {
        _call.Warn(code, message);
        _call.SendStreamStatus(_noun, _documentUrl, _streamSid, "stream-error", SimulatedCall.StreamErrorText(code));
        _call.Timeline.Add(_call.Now, TimelineKinds.StreamFailed, $"stream {_number} failed: {message}", new Dictionary<string, object?>
        {
            ["stream"] = _number,
            ["code"] = code,
            ["status"] = status,
        });
        return Result(at, publicUrl, actualUrl, endedBy, stopSent: false) with { HandshakeStatus = status };
    }

    private StreamResult Result(TimeSpan started, Uri publicUrl, Uri actualUrl, StreamEndedBy endedBy, bool stopSent) => new()
    {
        Number = _number,
        StreamSid = _streamSid,
        Url = publicUrl.ToString(),
        ConnectedUrl = actualUrl.ToString(),
        CustomParameters = _noun.Parameters,
        Started = started,
        Ended = _call.Now,
        EndedBy = endedBy,
        StopSent = stopSent,
        MediaFramesSent = Interlocked.Read(ref _framesSent),
        MediaFramesSuppressed = Interlocked.Read(ref _framesSuppressed),
        MarksReceived = _marksReceived,
        MarkNames = [.. _markNames],
        MarksEchoedPlayed = _marksPlayed,
        MarksEchoedCleared = _marksCleared,
        Clears = _clears,
        InvalidMessages = _invalid,
        BinaryMessages = _binary,
        MaxBuffered = _playback?.MaxBuffered ?? TimeSpan.Zero,
        DroppedAtEnd = _droppedAtEnd,
    };

    /// <summary>Fault injection (<see cref="FakeTwilioCallerOptions.AbortStreamAfter"/>): the connection breaks.</summary>
    private async Task BreakConnectionAsync(WebSocket socket, CancellationToken token)
    {
        if (_call.Options.AbortStreamAfter is not { } after || _number > _call.Options.AbortStreamCount)
        {
            return;
        }

        try
        {
            await Task.Delay(after, _call.Time, token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _call.Timeline.Add(_call.Now, TimelineKinds.Warning, $"stream {_number}: fault injected, the connection breaks");
        socket.Abort();
    }

    private bool Stop()
    {
        lock (_gate)
        {
            _stopping = true;
        }

        return _outgoing.Writer.TryWrite(new Outgoing(OutgoingKind.Stop));
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (Exception e) when (IsSocketGone(e))
        {
            // The server went away at the same moment: nothing left to close.
        }
    }

    /// <summary>
    /// What a send, receive or close throws once the connection is over. Never a cancellation of ours (these calls get
    /// no token): a socket aborted mid-call (the server closed it, or <see cref="BreakConnectionAsync"/> did) throws
    /// OperationCanceledException around an ObjectDisposedException.
    /// </summary>
    private static bool IsSocketGone(Exception e) =>
        e is WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException;

    private static string Describe(StreamEndedBy endedBy, WebSocketCloseStatus? status, string? description) => endedBy switch
    {
        StreamEndedBy.Server => $"the server closed it{(status is null ? "" : $" with {(int)status.Value}{(string.IsNullOrEmpty(description) ? "" : $" \"{description}\"")}")}",
        StreamEndedBy.CallerHangup => "the caller hung up",
        StreamEndedBy.SocketError => "the connection broke",
        _ => "Twilio ended it",
    };
}
