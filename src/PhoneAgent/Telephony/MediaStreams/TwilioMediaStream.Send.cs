using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using PhoneAgent.AudioCodec;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony.MediaStreams;

internal sealed partial class TwilioMediaStream
{
    private readonly Lock _gate = new();
    private readonly Queue<Outbound> _queue = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private byte[]? _partial;
    private int _partialLength;
    private int _latestTurn;
    private int _latestTurnFrames;
    private bool _latestTurnEnded;
    private int _clearedThroughTurn;
    private TaskCompletionSource? _pendingClear;
    private (WebSocketCloseStatus Status, string Description)? _pendingClose;
    private StreamEndReason? _closeReason;
    private bool _closing;

    // The writer role (1 while held): whoever holds it is the socket's one writer. An inline writer whose send does not
    // complete at once hands the role, with that send, to the send loop (_handedOver).
    private int _writing;
    private bool _handedOver;
    private Outbound _handOverItem;
    private ValueTask _handOverSend;
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(512);
    private readonly Utf8JsonWriter _json = new(Stream.Null, new JsonWriterOptions { SkipValidation = true });
    private readonly CancellationToken _sendToken;

    /// <summary>The highest turn given to <see cref="EnqueueAudio"/>.</summary>
    public int LatestTurn
    {
        get
        {
            lock (_gate)
            {
                return _latestTurn;
            }
        }
    }

    /// <summary>
    /// Called by the writer after a frame queued with a non-zero <c>sendTag</c> has been written to the socket, with
    /// the tag and the time from <see cref="EnqueueAudio"/> to the end of its <c>SendAsync</c> (the bridge's
    /// per-step processing-time metric).
    /// </summary>
    public Action<long, TimeSpan>? FrameSent { get; set; }

    /// <summary>
    /// Queues μ-law audio of <paramref name="turn"/> as whole 160-byte frames; a remainder waits for more audio or
    /// <see cref="EndTurn"/>. With <paramref name="mark"/>, a mark follows the last whole frame queued by this call
    /// (one mark per model chunk). A non-zero <paramref name="sendTag"/> goes with the first whole frame queued by this
    /// call and comes back through <see cref="FrameSent"/>.
    /// </summary>
    /// <returns><see langword="false"/> when the audio was dropped: the turn was cleared, ended, or is older than the latest.</returns>
    /// <remarks>Turns are positive and increase; a newer turn implicitly ends the older one.</remarks>
    public bool EnqueueAudio(int turn, ReadOnlySpan<byte> muLaw, bool mark = true, long sendTag = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(turn);
        lock (_gate)
        {
            if (_closing || turn <= _clearedThroughTurn || turn < _latestTurn || (turn == _latestTurn && _latestTurnEnded))
            {
                return false;
            }

            if (turn > _latestTurn)
            {
                EndTurnLocked();
                _latestTurn = turn;
                _latestTurnFrames = 0;
                _latestTurnEnded = false;
            }

            var framesBefore = _latestTurnFrames;
            while (!muLaw.IsEmpty)
            {
                _partial ??= ArrayPool<byte>.Shared.Rent(FrameBytes);
                var take = Math.Min(FrameBytes - _partialLength, muLaw.Length);
                muLaw[..take].CopyTo(_partial.AsSpan(_partialLength));
                _partialLength += take;
                muLaw = muLaw[take..];
                if (_partialLength == FrameBytes)
                {
                    QueueFrameLocked(sendTag);
                    sendTag = 0;
                }
            }

            if (mark && _latestTurnFrames > framesBefore)
            {
                _queue.Enqueue(Outbound.ForMark(new PlaybackMark(turn, _latestTurnFrames, Final: false)));
            }
        }

        WakeWriter();
        return true;
    }

    /// <summary>
    /// Ends <paramref name="turn"/>: its partial frame is padded with μ-law silence (0xFF) and queued, then the turn's
    /// final mark (<see cref="PlaybackTracker.WhenTurnPlayedAsync"/> completes when it is echoed).
    /// </summary>
    /// <returns><see langword="false"/> when the turn is not the latest, was cleared, or was ended already.</returns>
    public bool EndTurn(int turn)
    {
        lock (_gate)
        {
            if (_closing || turn != _latestTurn || turn <= _clearedThroughTurn || _latestTurnEnded)
            {
                return false;
            }

            EndTurnLocked();
        }

        WakeWriter();
        return true;
    }

    /// <summary>
    /// Barge-in: discards every queued frame and mark (all belong to turns up to the latest), then sends <c>clear</c>
    /// before anything else. Audio for those turns is refused from now on; the next turn must be newer.
    /// </summary>
    /// <returns>Completes when <c>clear</c> has been written to the socket (or the stream ended).</returns>
    public Task ClearAsync(CancellationToken cancellationToken = default)
    {
        Task written;
        var dropped = 0;
        lock (_gate)
        {
            _clearedThroughTurn = Math.Max(_clearedThroughTurn, _latestTurn);
            _latestTurnEnded = true;
            while (_queue.TryDequeue(out var item))
            {
                if (item.Frame is { } frame)
                {
                    ArrayPool<byte>.Shared.Return(frame);
                    dropped++;
                }
            }

            _partialLength = 0;
            if (_closing)
            {
                return Task.CompletedTask;
            }

            _pendingClear ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            written = _pendingClear.Task;
        }

        if (dropped > 0)
        {
            _metrics.FramesDropped("out", "cleared", dropped);
        }

        WakeWriter();
        return written.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Closes the socket from our side: queued audio is discarded and the close frame goes out next. Twilio then runs
    /// the <c>&lt;Connect action&gt;</c> URL. Record the call's <c>NextAction</c> first.
    /// </summary>
    public Task<StreamEndReason> CloseAsync(WebSocketCloseStatus status, string description, StreamEndReason reason)
    {
        RequestClose(status, description, reason);
        return Completion;
    }

    private void RequestClose(WebSocketCloseStatus status, string description, StreamEndReason reason)
    {
        lock (_gate)
        {
            if (_pendingClose is not null || _closing)
            {
                return;
            }

            _closing = true;
            _pendingClose = (status, description);
            _closeReason ??= reason;
        }

        WakeWriter();
    }

    /// <summary>
    /// Has what was just queued written: on this thread when nobody else is writing (no thread-pool hop between a
    /// frame's release and the socket: the <c>model_chunk_to_twilio</c> and <c>interrupted_to_clear</c> tails were
    /// that hop), otherwise by the current writer, which looks again after it lets go.
    /// </summary>
    private void WakeWriter()
    {
        while (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            if (!WriteInline())
            {
                return; // the writer role went to the send loop with an unfinished send (or the close)
            }

            Volatile.Write(ref _writing, 0);
            if (!HasWork())
            {
                return;
            }
        }
    }

    /// <summary>Writes queued items while each send completes at once; <see langword="false"/> when it handed the role to the send loop.</summary>
    private bool WriteInline()
    {
        while (TryTakeNext(out var item))
        {
            if (item.Kind == OutboundKind.Close)
            {
                HandOver(item, default); // closing waits for the socket: the loop does it
                return false;
            }

            ValueTask send;
            try
            {
                send = Write(item);
            }
            catch (Exception e)
            {
                send = ValueTask.FromException(e);
            }

            if (!send.IsCompletedSuccessfully)
            {
                HandOver(item, send); // socket back-pressure or a failure: the loop awaits it (and fails as before)
                return false;
            }

            send.GetAwaiter().GetResult(); // consumed once, as a pooled source expects
            Sent(item);
        }

        return true;
    }

    private void HandOver(in Outbound item, ValueTask send)
    {
        _handOverItem = item;
        _handOverSend = send;
        Volatile.Write(ref _handedOver, true);
        _wake.Writer.TryWrite(true);
    }

    private bool HasWork()
    {
        lock (_gate)
        {
            return _pendingClose is not null || (_start is not null && (_pendingClear is not null || _queue.Count > 0));
        }
    }

    private void QueueFrameLocked(long sendTag = 0)
    {
        _queue.Enqueue(Outbound.ForFrame(_partial!, _latestTurn, sendTag, sendTag == 0 ? 0 : _timeProvider.GetTimestamp()));
        _partial = null;
        _partialLength = 0;
        _latestTurnFrames++;
    }

    private void EndTurnLocked()
    {
        if (_latestTurn == 0 || _latestTurnEnded || _latestTurn <= _clearedThroughTurn)
        {
            return;
        }

        if (_partialLength > 0)
        {
            _partial.AsSpan(_partialLength, FrameBytes - _partialLength).Fill(MuLaw.Silence);
            _partialLength = FrameBytes;
            QueueFrameLocked();
        }

        _queue.Enqueue(Outbound.ForMark(new PlaybackMark(_latestTurn, _latestTurnFrames, Final: true)));
        _latestTurnEnded = true;
    }

    /// <summary>Takes what to write next: close first, nothing before start, then clear, then audio and marks in order.</summary>
    private bool TryTakeNext(out Outbound item)
    {
        lock (_gate)
        {
            if (_pendingClose is { } close)
            {
                item = Outbound.ForClose(close.Status, close.Description);
                return true;
            }

            if (_start is null)
            {
                item = default;
                return false;
            }

            if (_pendingClear is { } clear)
            {
                _pendingClear = null;
                item = Outbound.ForClear(clear);
                return true;
            }

            return _queue.TryDequeue(out item);
        }
    }

    /// <summary>
    /// The writer when a send cannot complete at once: it takes the role over from an inline writer (see
    /// <see cref="WakeWriter"/>), finishes that send, writes what is queued meanwhile (control before audio), then lets
    /// go. It sends the close frame and ends; a failed send ends it with the failure.
    /// </summary>
    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        while (await _wake.Reader.WaitToReadAsync(cancellationToken))
        {
            _wake.Reader.TryRead(out _);
            if (Volatile.Read(ref _handedOver))
            {
                _handedOver = false;
                var item = _handOverItem;
                var send = _handOverSend;
                _handOverItem = default;
                _handOverSend = default;
                if (item.Kind == OutboundKind.Close)
                {
                    await CloseOutputAsync(item, cancellationToken);
                    return;
                }

                await send;
                Sent(item);
            }
            else if (Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
            {
                continue;
            }

            while (true)
            {
                while (TryTakeNext(out var item))
                {
                    if (item.Kind == OutboundKind.Close)
                    {
                        await CloseOutputAsync(item, cancellationToken); // the role is never given back: nothing follows a close
                        return;
                    }

                    await Write(item);
                    Sent(item);
                }

                Volatile.Write(ref _writing, 0);
                if (!HasWork() || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                {
                    break;
                }
            }
        }
    }

    private async Task CloseOutputAsync(Outbound item, CancellationToken cancellationToken)
    {
        Log.Closing(_logger, (int)item.CloseStatus, item.CloseDescription!);
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(item.CloseStatus, item.CloseDescription, cancellationToken);
        }
    }

    /// <summary>Serializes <paramref name="item"/> and starts its send (the caller holds the writer role).</summary>
    private ValueTask Write(in Outbound item)
    {
        _sendBuffer.ResetWrittenCount();
        _json.Reset(_sendBuffer);
        var streamSid = _start!.StreamSid;
        switch (item.Kind)
        {
            case OutboundKind.Frame:
                TwilioStreamSerializer.WriteMedia(_json, streamSid, item.Frame.AsSpan(0, FrameBytes));
                ArrayPool<byte>.Shared.Return(item.Frame!);
                break;
            case OutboundKind.Mark:
                TwilioStreamSerializer.WriteMark(_json, streamSid, item.Mark.Name);
                break;
            default:
                TwilioStreamSerializer.WriteClear(_json, streamSid);
                break;
        }

        return _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, _sendToken);
    }

    /// <summary>After <paramref name="item"/>'s send completed.</summary>
    private void Sent(in Outbound item)
    {
        switch (item.Kind)
        {
            case OutboundKind.Frame:
                _metrics.FrameOut();
                if (item.Tag != 0)
                {
                    FrameSent?.Invoke(item.Tag, _timeProvider.GetElapsedTime(item.EnqueuedAt));
                }

                break;
            case OutboundKind.Mark:
                Playback.OnMarkSent(item.Mark);
                break;
            default:
                Playback.OnClearSent();
                item.ClearWritten!.TrySetResult();
                break;
        }
    }

    /// <summary>Returns queued buffers to the pool and releases waiters once the stream is over.</summary>
    private void ReleaseOutbound()
    {
        lock (_gate)
        {
            _closing = true;
            while (_queue.TryDequeue(out var item))
            {
                if (item.Frame is { } frame)
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }

            if (_partial is { } partial)
            {
                ArrayPool<byte>.Shared.Return(partial);
                _partial = null;
            }

            _pendingClear?.TrySetResult();
            _pendingClear = null;
        }
    }

    private enum OutboundKind
    {
        Frame,
        Mark,
        Clear,
        Close,
    }

    private readonly record struct Outbound(
        OutboundKind Kind,
        byte[]? Frame,
        int Turn,
        PlaybackMark Mark,
        TaskCompletionSource? ClearWritten,
        WebSocketCloseStatus CloseStatus,
        string? CloseDescription,
        long Tag = 0,
        long EnqueuedAt = 0)
    {
        public static Outbound ForFrame(byte[] frame, int turn, long tag, long enqueuedAt) => new(OutboundKind.Frame, frame, turn, default, null, default, null, tag, enqueuedAt);

        public static Outbound ForMark(PlaybackMark mark) => new(OutboundKind.Mark, null, mark.Turn, mark, null, default, null);

        public static Outbound ForClear(TaskCompletionSource written) => new(OutboundKind.Clear, null, 0, default, written, default, null);

        public static Outbound ForClose(WebSocketCloseStatus status, string description) => new(OutboundKind.Close, null, 0, default, null, status, description);
    }
}
