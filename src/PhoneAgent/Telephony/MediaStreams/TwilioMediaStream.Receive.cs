using System.Buffers;
using System.Net.WebSockets;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony.MediaStreams;

internal sealed partial class TwilioMediaStream
{
    private const int InitialReceiveBuffer = 4096;
    private int _loggedIssues;
    private long _lastSequenceNumber = -1;
    private long _lastChunk = -1;

    /// <summary>Reads whole messages into a pooled buffer (capped at MaxMessageBytes) and dispatches them. Never throws.</summary>
    private async Task<StreamEndReason> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        if (buffer.Length > _maxMessageBytes)
                        {
                            ReportIssue(StreamProtocolIssue.Oversized);
                            return StreamEndReason.MessageTooBig;
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _maxMessageBytes + 1));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return _stopReceived ? StreamEndReason.Stopped : StreamEndReason.ClosedByTwilio;
                    }

                    count += result.Count;
                    if (count > _maxMessageBytes)
                    {
                        ReportIssue(StreamProtocolIssue.Oversized);
                        return StreamEndReason.MessageTooBig;
                    }
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    ReportIssue(StreamProtocolIssue.BinaryFrame);
                    continue;
                }

                Dispatch(buffer.AsSpan(0, count));
            }
        }
        catch (OperationCanceledException)
        {
            return StreamEndReason.SocketLost;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            Log.SocketFailed(_logger, e.Message);
            return StreamEndReason.SocketLost;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _callerAudio.Writer.TryComplete();
        }
    }

    private void Dispatch(ReadOnlySpan<byte> json)
    {
        var kind = TwilioStreamSerializer.Read(json, out var media);
        switch (kind)
        {
            case InboundEvent.Media:
                OnMedia(json, media);
                break;
            case InboundEvent.Start:
                OnStart(json);
                break;
            case InboundEvent.Mark:
                OnMark(json);
                break;
            case InboundEvent.Dtmf:
                OnDtmf(json);
                break;
            case InboundEvent.Stop:
                OnStop(json);
                break;
            case InboundEvent.Connected:
                Log.Connected(_logger);
                break;
            case InboundEvent.Unknown:
                ReportIssue(StreamProtocolIssue.UnknownEvent);
                break;
            default:
                ReportIssue(StreamProtocolIssue.MalformedJson);
                break;
        }
    }

    private void OnMedia(ReadOnlySpan<byte> json, in MediaFields media)
    {
        CheckSequence(media.SequenceNumber);
        if (_start is null || _stopReceived || !TwilioStreamSerializer.StreamSidMatches(json, media, _streamSidUtf8))
        {
            ReportIssue(StreamProtocolIssue.UnexpectedMessage);
            return;
        }

        if (media.OutboundTrack)
        {
            return; // <Connect> streams carry the caller only; ignore anything else.
        }

        if (media.Chunk >= 0)
        {
            if (_lastChunk >= 0 && media.Chunk != _lastChunk + 1)
            {
                ReportIssue(StreamProtocolIssue.ChunkGap);
            }

            _lastChunk = media.Chunk;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, TwilioStreamSerializer.MaxPayloadBytes(media)));
        if (!TwilioStreamSerializer.TryDecodePayload(json, media, buffer, out var written))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ReportIssue(StreamProtocolIssue.BadBase64);
            return;
        }

        _metrics.FrameIn();
        if (!_callerAudio.Writer.TryWrite(new InboundAudioFrame(buffer, written, media.Timestamp, media.Chunk, media.SequenceNumber)))
        {
            ArrayPool<byte>.Shared.Return(buffer); // completed after stop
        }
    }

    private void OnStart(ReadOnlySpan<byte> json)
    {
        var message = TwilioStreamSerializer.ReadControl(json, TwilioStreamJsonContext.Default.StartMessage);
        var start = message?.Start;
        var streamSid = start?.StreamSid ?? message?.StreamSid;
        if (message is null || start is null || string.IsNullOrEmpty(streamSid) || string.IsNullOrEmpty(start.CallSid) || string.IsNullOrEmpty(start.AccountSid))
        {
            ReportIssue(StreamProtocolIssue.MalformedJson);
            return;
        }

        CheckSequence(message.SequenceNumber ?? -1);
        if (_start is not null)
        {
            ReportIssue(StreamProtocolIssue.UnexpectedMessage);
            return;
        }

        var info = new StreamStartInfo(
            streamSid,
            start.CallSid,
            start.AccountSid,
            start.CustomParameters ?? [],
            start.Tracks ?? [],
            start.MediaFormat?.Encoding,
            start.MediaFormat?.SampleRate,
            start.MediaFormat?.Channels);
        _streamSidUtf8 = Utf8(streamSid);
        _start = info;
        _events.Writer.TryWrite(new MediaStreamEvent.Started(info));
        _started.TrySetResult(info);
        WakeWriter();
    }

    private void OnMark(ReadOnlySpan<byte> json)
    {
        var message = TwilioStreamSerializer.ReadControl(json, TwilioStreamJsonContext.Default.MarkMessage);
        if (message?.Mark?.Name is not { } name)
        {
            ReportIssue(StreamProtocolIssue.MalformedJson);
            return;
        }

        CheckSequence(message.SequenceNumber ?? -1);
        if (Playback.OnMarkEchoed(name) is not { } echo)
        {
            ReportIssue(StreamProtocolIssue.UnknownMark);
            return;
        }

        _events.Writer.TryWrite(new MediaStreamEvent.MarkEchoed(echo.Mark, echo.Played));
    }

    private void OnDtmf(ReadOnlySpan<byte> json)
    {
        var message = TwilioStreamSerializer.ReadControl(json, TwilioStreamJsonContext.Default.DtmfMessage);
        if (message?.Dtmf?.Digit is not { Length: > 0 } digit)
        {
            ReportIssue(StreamProtocolIssue.MalformedJson);
            return;
        }

        CheckSequence(message.SequenceNumber ?? -1);
        _events.Writer.TryWrite(new MediaStreamEvent.Dtmf(digit));
    }

    private void OnStop(ReadOnlySpan<byte> json)
    {
        var message = TwilioStreamSerializer.ReadControl(json, TwilioStreamJsonContext.Default.StopMessage);
        if (message is null)
        {
            ReportIssue(StreamProtocolIssue.MalformedJson);
            return;
        }

        CheckSequence(message.SequenceNumber ?? -1);
        if (_stopReceived)
        {
            ReportIssue(StreamProtocolIssue.UnexpectedMessage);
            return;
        }

        _stopReceived = true;
        _events.Writer.TryWrite(new MediaStreamEvent.Stopped());
        CompleteChannels(); // nothing follows stop; Twilio closes the socket next
    }

    private void CheckSequence(long sequenceNumber)
    {
        if (sequenceNumber < 0)
        {
            return;
        }

        if (_lastSequenceNumber >= 0 && sequenceNumber != _lastSequenceNumber + 1)
        {
            ReportIssue(StreamProtocolIssue.SequenceGap);
        }

        _lastSequenceNumber = sequenceNumber;
    }

    /// <summary>Counts every issue; logs the first of each kind per stream.</summary>
    private void ReportIssue(StreamProtocolIssue issue)
    {
        _metrics.ProtocolIssue(issue);
        var bit = 1 << (int)issue;
        if ((Interlocked.Or(ref _loggedIssues, bit) & bit) == 0)
        {
            Log.ProtocolIssue(_logger, TwilioMetrics.IssueTag(issue));
        }
    }
}
