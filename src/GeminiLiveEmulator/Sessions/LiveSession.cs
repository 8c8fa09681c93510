using System.Buffers;
using System.Threading.Channels;
using PhoneAgent.GeminiLiveEmulator.Hosting;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>
/// One connection's model: the setup handshake, caller audio and voice activity, turns and replies on a playback
/// clock, tool calls, resumption, goAway and faults.
/// </summary>
/// <remarks>
/// <code>
///  receive loop ──ClientFrameReceived──┐
///  timers ───────TimerFired────────────┼─► inbox (bounded 256, Wait) ─► session loop ─► OutboundWriter ─► socket
///  speech ───────SpeechReady───────────┘                                  (state)        (one writer)
/// </code>
/// (1) The first client message must be setup: credentials, model and fields are checked, a handle is resumed.
/// (2) setupComplete follows after <see cref="EmulatorOptions.SetupLatency"/>; anything sent before it closes 1007.
/// (3) Caller audio feeds the voice-activity detector; end of speech (or activityEnd, text, clientContent with
///     turnComplete) commits a caller turn, which takes the next scenario turn.
/// (4) After the reply latency the answer is spoken: chunks faster than real time; generationComplete after the last
///     chunk; turnComplete when the playback clock runs out. Caller activity before that interrupts it.
/// (5) Tool calls, goAway and faults happen where the scenario says.
/// All state lives on the session loop: handlers never block and never lock.
/// </remarks>
internal sealed partial class LiveSession
{
    private const int InboxCapacity = 256;

    private readonly EmulatorRuntime _runtime;
    private readonly LiveEndpoint _endpoint;
    private readonly ClientCredentials _credentials;
    private readonly SessionRecorder _recorder;
    private readonly OutboundWriter _out;
    private readonly TimeProvider _time;
    private readonly HashSet<TimerSlot> _timers = [];
    private readonly Channel<SessionEvent> _inbox = Channel.CreateBounded<SessionEvent>(
        new BoundedChannelOptions(InboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private Phase _phase = Phase.AwaitingSetup;
    private CancellationToken _stopping;

    public LiveSession(EmulatorRuntime runtime, LiveEndpoint endpoint, ClientCredentials credentials, SessionRecorder recorder, OutboundWriter outbound)
    {
        _runtime = runtime;
        _endpoint = endpoint;
        _credentials = credentials;
        _recorder = recorder;
        _out = outbound;
        _time = runtime.Time;
    }

    private enum Phase
    {
        AwaitingSetup,
        SettingUp,
        Active,
        Ended,
    }

    private EmulatorScenario Scenario => _runtime.Scenario;

    private EmulatorOptions Options => _runtime.Options;

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Posts an event from the receive loop; waits while the inbox is full (backpressure onto the socket).</summary>
    public async ValueTask PostAsync(SessionEvent sessionEvent)
    {
        try
        {
            await _inbox.Writer.WriteAsync(sessionEvent);
        }
        catch (ChannelClosedException)
        {
            // The session has ended; late client messages are dropped.
        }
    }

    /// <summary>Runs until the session ends (a close either way, a transport loss, or server shutdown).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        _stopping = stopping;
        using var registration = stopping.Register(static s => ((LiveSession)s!).Post(new ServerStopping()), this);
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (_inbox.Reader.TryRead(out var sessionEvent))
                {
                    Dispatch(sessionEvent);
                    if (_phase == Phase.Ended)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            _inbox.Writer.TryComplete();
            foreach (var slot in _timers)
            {
                slot.Timer?.Dispose();
            }

            _timers.Clear();
        }
    }

    private void Post(SessionEvent sessionEvent)
    {
        if (!_inbox.Writer.TryWrite(sessionEvent))
        {
            _ = PostAsync(sessionEvent).AsTask();
        }
    }

    private void Dispatch(SessionEvent sessionEvent)
    {
        try
        {
            switch (sessionEvent)
            {
                case ClientFrameReceived frame:
                    try
                    {
                        OnClientFrame(frame);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame.Payload);
                    }

                    break;
                case TimerFired timer:
                    OnTimer(timer);
                    break;
                case SpeechReady ready:
                    OnSpeechReady(ready);
                    break;
                case ClientClosed closed:
                    _recorder.Closed(closed.Code, closed.Reason, EmulatorCloseInitiator.Client);
                    End();
                    break;
                case TransportLost lost:
                    _recorder.Note("transport", lost.Detail);
                    _recorder.Closed(null, null, EmulatorCloseInitiator.Transport);
                    End();
                    break;
                case ClientMessageTooBig tooBig:
                    throw new ProtocolViolationException(CloseReasons.MessageTooBig, "Message too big.", $"client message of {tooBig.Bytes}+ bytes");
                case ServerStopping:
                    Close(CloseReasons.InternalError, CloseReasons.Unavailable);
                    break;
            }
        }
        catch (ProtocolViolationException violation)
        {
            // What the service rejects: the close code and reason it would send.
            _recorder.Violation(violation);
            Close(violation.CloseCode, violation.Reason);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in the emulator: the client sees what a service failure looks like, the log has the stack.
            _recorder.Failure(e);
            Close(CloseReasons.InternalError, CloseReasons.Internal);
        }
    }

    private void OnTimer(TimerFired timer)
    {
        if (timer.Owner is TimerSlot slot)
        {
            slot.Dispose();
        }

        switch (timer.Kind)
        {
            case TimerKind.SetupComplete:
                OnSetupComplete();
                break;
            case TimerKind.ReplyStart:
                OnReplyStart(timer.Token);
                break;
            case TimerKind.ReplyStep:
                if (_reply?.Id == timer.Token && _reply.Stage == ReplyStage.Speaking)
                {
                    Step(_reply);
                }

                break;
            case TimerKind.TurnCompleteDue:
                OnTurnCompleteDue(timer.Token);
                break;
            case TimerKind.GoAway:
                SendGoAway();
                break;
            case TimerKind.GoAwayDeadline:
                _recorder.Note("goAway", "timeLeft is over; closing as the service does");
                Close(CloseReasons.InternalError, CloseReasons.DeadlineExpired);
                break;
            case TimerKind.Fault:
                if (_lineage!.TryFire(timer.Token))
                {
                    Inject(Scenario.Faults[timer.Token]);
                }

                break;
        }
    }

    /// <summary>Closes with a close frame (after the frames already queued) and ends the session.</summary>
    private void Close(int code, string reason)
    {
        if (_phase == Phase.Ended)
        {
            return;
        }

        _out.Close(code, reason);
        End();
    }

    private void End() => _phase = Phase.Ended;

    private void Send(ServerFrame frame, int? turn = null) => _out.Send(turn is null ? frame : frame with { Turn = turn });

    /// <summary>Runs <paramref name="timerEvent"/> after <paramref name="due"/> on the session's clock (at once when zero).</summary>
    private void Schedule(TimeSpan due, TimerFired timerEvent)
    {
        if (due <= TimeSpan.Zero)
        {
            Post(timerEvent);
            return;
        }

        var slot = new TimerSlot(this, timerEvent);
        _timers.Add(slot);
        slot.Timer = _time.CreateTimer(static s => ((TimerSlot)s!).Fire(), slot, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A pending timer: posts its event once, then forgets itself.</summary>
    private sealed class TimerSlot(LiveSession session, TimerFired timerEvent)
    {
        public ITimer? Timer { get; set; }

        public void Fire() => session.Post(timerEvent with { Owner = this });

        public void Dispose()
        {
            Timer?.Dispose();
            session._timers.Remove(this);
        }
    }
}
