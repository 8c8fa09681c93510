using System.Net.WebSockets;
using PhoneAgent.CallReplay.Playback;
using PhoneAgent.CallReplay.Streams;

namespace PhoneAgent.CallReplay.Calls;

internal sealed partial class MediaStreamSession
{
    /// <summary>Largest message accepted from the server before it counts as invalid.</summary>
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private enum OutgoingKind
    {
        Connected,
        Start,
        Media,
        Mark,
        Dtmf,
        Stop,
    }

    /// <summary>The single writer: serializes each message with the next sequence number and sends it.</summary>
    private async Task WriteLoopAsync(WebSocket socket)
    {
        using var json = new TwilioStreamWriter(Behavior.NumbersAsStrings);
        long sequence = 0;
        var broken = false;
        await foreach (var message in _outgoing.Reader.ReadAllAsync())
        {
            if (broken)
            {
                continue; // drain: the socket is gone
            }

            var bytes = message.Kind switch
            {
                OutgoingKind.Connected => json.Connected(),
                OutgoingKind.Start => json.Start(++sequence, Identity, _noun.Parameters),
                OutgoingKind.Media => json.Media(++sequence, _streamSid, message.Chunk, message.Timestamp, message.Payload.Span),
                OutgoingKind.Mark => json.Mark(++sequence, _streamSid, message.Name!),
                OutgoingKind.Dtmf => json.Dtmf(++sequence, _streamSid, message.Digit),
                _ => json.Stop(++sequence, Identity),
            };
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                if (message.Kind == OutgoingKind.Media)
                {
                    Interlocked.Increment(ref _framesSent);
                }
            }
            catch (Exception e) when (IsSocketGone(e))
            {
                broken = true;
            }
        }
    }

    /// <summary>Reads the server's messages until it closes or the connection breaks. Never cancelled (that would abort the socket).</summary>
    private async Task<ReceiveEnd> ReceiveLoopAsync(WebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        var count = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                if (count == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
            }
            catch (Exception e) when (IsSocketGone(e))
            {
                return new ReceiveEnd(false, null, e.Message);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceiveEnd(true, socket.CloseStatus, socket.CloseStatusDescription);
            }

            count += result.Count;
            if (!result.EndOfMessage)
            {
                if (count >= MaxMessageBytes)
                {
                    return new ReceiveEnd(false, null, $"a message over {MaxMessageBytes} bytes");
                }

                continue;
            }

            OnMessage(result.MessageType, buffer.AsSpan(0, count));
            count = 0;
        }
    }

    private void OnMessage(WebSocketMessageType type, ReadOnlySpan<byte> message)
    {
        var now = _call.Now;
        var parsed = type == WebSocketMessageType.Binary ? null : ServerMessage.Parse(message, _streamSid);
        lock (_gate)
        {
            if (_stopping)
            {
                return; // after stop, Twilio no longer listens
            }

            switch (parsed)
            {
                case null:
                    if (_binary++ == 0)
                    {
                        _call.Warn(ServerMessage.UndecodableMessageWarning, $"stream {_number}: a binary message ({message.Length} bytes); Twilio accepts only text JSON");
                    }

                    break;
                case MediaMessage media:
                    if (media.Payload.Length % 160 != 0 && _oddSized++ == 0)
                    {
                        _call.Timeline.Add(now, TimelineKinds.Warning, $"stream {_number}: a media payload of {media.Payload.Length} bytes (not whole 20 ms frames; reported to cause jitter on Twilio)");
                    }

                    if (media.Payload.AsSpan().StartsWith("RIFF"u8))
                    {
                        _call.Warn(0, $"stream {_number}: a media payload starts with a WAV header (played as noise)");
                    }

                    _playback!.EnqueueAudio(now, media.Payload, _events, _number);
                    break;
                case MarkMessage mark:
                    _marksReceived++;
                    _markNames.Add(mark.Name);
                    if (_call.Options.TimelineMarks)
                    {
                        _call.Timeline.Add(now, TimelineKinds.MarkReceived, $"mark {mark.Name} received", new Dictionary<string, object?> { ["name"] = mark.Name, ["bufferedMs"] = _playback!.BufferedAt(now).TotalMilliseconds });
                    }

                    _playback!.EnqueueMark(now, mark.Name, _events);
                    break;
                case ClearMessage:
                    _clears++;
                    _playback!.Clear(now, _events);
                    break;
                case InvalidServerMessage invalid:
                    if (_invalid++ == 0)
                    {
                        _call.Warn(invalid.Code, $"stream {_number}: invalid message ({invalid.Reason}); Twilio ignores it and logs this once per stream");
                    }

                    break;
            }

            Dispatch();
        }

        Wake();
    }

    /// <summary>Caller audio: frame n of the recording at origin + (n + 1)·20 ms, until the caller hangs up (true) or the token ends (false).</summary>
    private async Task<bool> SendMediaLoopAsync(CancellationToken token)
    {
        var options = _call.Options;
        var frame = Behavior.FrameDuration;
        var frameBytes = (int)(frame.Ticks / (TimeSpan.TicksPerSecond / 8000));
        var recording = _call.Recording;
        var audio = recording.MuLaw;
        var origin = _call.RecordingOrigin!.Value;
        var silence = new byte[frameBytes];
        silence.AsSpan().Fill(0xFF);
        var dtmf = options.Dtmf.OrderBy(d => d.At).ToList();
        var lastInput = recording.Duration > (dtmf.Count == 0 ? TimeSpan.Zero : dtmf[^1].At) ? recording.Duration : dtmf[^1].At;
        var n = Math.Max(0, (long)Math.Ceiling((double)(_streamStart - origin).Ticks / frame.Ticks));
        var chunk = 0L;
        var dtmfIndex = dtmf.FindIndex(d => d.At >= TimeSpan.FromTicks(n * frame.Ticks));
        if (dtmfIndex < 0)
        {
            dtmfIndex = dtmf.Count;
        }

        try
        {
            while (true)
            {
                var due = origin + TimeSpan.FromTicks((n + 1) * frame.Ticks);
                var wait = due - _call.Now;
                if (wait > TimeSpan.Zero)
                {
                    // Task.Delay counts whole milliseconds (it truncates): round up, so no frame leaves before its deadline.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _call.Time, token);
                }

                token.ThrowIfCancellationRequested();
                var now = _call.Now;
                _call.Latency.RecordSendLateness(now - due);
                options.OnSendLateness?.Invoke(now - due);
                var from = TimeSpan.FromTicks(n * frame.Ticks);
                var to = from + frame;
                AnnounceSpeech(origin, from, to);
                while (dtmfIndex < dtmf.Count && dtmf[dtmfIndex].At < to)
                {
                    var press = dtmf[dtmfIndex++];
                    _outgoing.Writer.TryWrite(new Outgoing(OutgoingKind.Dtmf, Digit: press.Digit));
                    _call.Timeline.Add(origin + press.At, TimelineKinds.Dtmf, $"caller presses {press.Digit}", new Dictionary<string, object?> { ["digit"] = press.Digit.ToString() });
                }

                if (options.HangupAfter is { } after && from >= lastInput && CallerDone(origin + lastInput, after, due))
                {
                    return true;
                }

                var offset = n * frameBytes;
                ReadOnlyMemory<byte> payload = offset + frameBytes <= audio.Length ? audio.Slice((int)offset, frameBytes)
                    : offset < audio.Length ? Pad(audio[(int)offset..], frameBytes)
                    : silence;
                if (Behavior.DropSilence && !IsSpeech(recording.Utterances, from, to))
                {
                    Interlocked.Increment(ref _framesSuppressed);
                }
                else
                {
                    _outgoing.Writer.TryWrite(new Outgoing(OutgoingKind.Media, payload, ++chunk, (long)(due - _streamStart).TotalMilliseconds));
                }

                n++;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The recording is over: the caller hangs up once the agent has been quiet for <paramref name="after"/>
    /// (judged at the frame's deadline, so the moment does not depend on how late the loop woke).</summary>
    private bool CallerDone(TimeSpan inputEnd, TimeSpan after, TimeSpan now)
    {
        lock (_gate)
        {
            if (_playback!.IsPlaying(now))
            {
                return false;
            }

            var quietSince = _playback.LastAudioEnd is { } end && end > inputEnd ? end : inputEnd;
            return now - quietSince >= after;
        }
    }

    private void AnnounceSpeech(TimeSpan origin, TimeSpan from, TimeSpan to)
    {
        var utterances = _call.Recording.Utterances;
        for (var i = 0; i < utterances.Count; i++)
        {
            var u = utterances[i];
            if (u.Start >= from && u.Start < to)
            {
                _call.Timeline.Add(origin + u.Start, TimelineKinds.CallerSpeechStart, u.Text.Length > 0 ? $"caller: \"{u.Text}\"" : $"caller speaks ({u.Duration.TotalSeconds:0.0} s)", new Dictionary<string, object?>
                {
                    ["utterance"] = i,
                    ["text"] = u.Text,
                    ["recordingMs"] = u.Start.TotalMilliseconds,
                });
                lock (_gate)
                {
                    if (_playback!.IsPlaying(origin + u.Start))
                    {
                        _call.Timeline.Add(origin + u.Start, TimelineKinds.CallerSpeechStart, "  (the caller talks over the agent)", new Dictionary<string, object?> { ["utterance"] = i, ["bargeIn"] = true });
                    }
                }
            }

            if (u.End >= from && u.End < to)
            {
                _call.Timeline.Add(origin + u.End, TimelineKinds.CallerSpeechEnd, $"caller stops speaking (utterance {i + 1})", new Dictionary<string, object?>
                {
                    ["utterance"] = i,
                    ["recordingMs"] = u.End.TotalMilliseconds,
                });
                _call.OnCallerSpeechEnd(i, origin + u.End);
            }
        }
    }

    /// <summary>Whether the caller is speaking in [<paramref name="from"/>, <paramref name="to"/>) of the recording, with a little
    /// margin before (40 ms) and hangover after (200 ms) each utterance, as a carrier's silence suppression keeps.</summary>
    private static bool IsSpeech(IReadOnlyList<Recordings.Utterance> utterances, TimeSpan from, TimeSpan to)
    {
        foreach (var u in utterances)
        {
            if (from < u.End + TimeSpan.FromMilliseconds(200) && to > u.Start - TimeSpan.FromMilliseconds(40))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Pad(ReadOnlyMemory<byte> tail, int length)
    {
        var padded = new byte[length];
        padded.AsSpan().Fill(0xFF);
        tail.Span.CopyTo(padded);
        return padded;
    }

    /// <summary>Advances the playback clock whenever something is due, or when new audio, marks or clears arrive.</summary>
    private async Task PlaybackLoopAsync(CancellationToken token)
    {
        Task<bool>? woken = null; // one wait for a wake-up, kept until it completes (cancelling one per turn would throw)
        while (!token.IsCancellationRequested)
        {
            _wake.Reader.TryRead(out _); // a wake-up from here on is seen by the wait below
            TimeSpan? next;
            lock (_gate)
            {
                _playback!.AdvanceTo(_call.Now, _events);
                Dispatch();
                next = _playback.NextDue;
            }

            var delay = next - _call.Now;
            if (delay <= TimeSpan.Zero)
            {
                continue;
            }

            woken ??= _wake.Reader.WaitToReadAsync(token).AsTask();
            if (delay is { } d)
            {
                // Task.Delay counts whole milliseconds (it truncates): round up, or a sub-millisecond wait would spin.
                using var timer = new CancellationTokenSource();
                var elapsed = Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(d.TotalMilliseconds)), _call.Time, timer.Token);
                if (await Task.WhenAny(woken, elapsed) == woken)
                {
                    woken = null;
                    await timer.CancelAsync();
                }
            }
            else
            {
                await Quietly(woken);
                woken = null;
            }
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // cancelled wait: the loop re-checks
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Acts on what the playback clock produced (under <see cref="_gate"/>).</summary>
    private void Dispatch()
    {
        foreach (var e in _events)
        {
            switch (e)
            {
                case MarkEchoEvent mark:
                    _outgoing.Writer.TryWrite(new Outgoing(OutgoingKind.Mark, Name: mark.Name));
                    _ = mark.Played ? _marksPlayed++ : _marksCleared++;
                    if (_call.Options.TimelineMarks)
                    {
                        _call.Timeline.Add(mark.At, TimelineKinds.MarkEchoed, $"mark {mark.Name} echoed ({(mark.Played ? "played" : "cleared")})", new Dictionary<string, object?>
                        {
                            ["name"] = mark.Name,
                            ["played"] = mark.Played,
                        });
                    }

                    break;
                case AudioStartedEvent started:
                    _call.OnAgentAudioStarted(started.At, started.Gap);
                    break;
                case AudioHeardEvent heard:
                    _call.Heard?.Write(heard.At, heard.Audio.Span);
                    break;
                case AudioDrainedEvent drained:
                    _call.OnAgentAudioStopped(drained.At, drained.LastChunk, "finished");
                    break;
                case ClearedEvent cleared:
                    _call.OnClear(cleared);
                    break;
                case StreamEndedEvent ended:
                    _droppedAtEnd = ended.Dropped;
                    if (ended.Dropped > TimeSpan.Zero)
                    {
                        _call.Timeline.Add(ended.At, TimelineKinds.AgentAudioStop, $"agent audio cut: {ended.Dropped.TotalMilliseconds:0} ms still buffered when the stream ended was never heard", new Dictionary<string, object?> { ["droppedMs"] = ended.Dropped.TotalMilliseconds });
                    }

                    break;
                case OverflowEvent overflow:
                    _call.Warn(0, $"stream {_number}: outbound buffer cap {Behavior.OutboundBufferCap?.TotalMilliseconds:0} ms exceeded; {overflow.DroppedBytes / 8} ms of agent audio dropped");
                    break;
            }
        }

        _events.Clear();
    }

    private readonly record struct Outgoing(
        OutgoingKind Kind,
        ReadOnlyMemory<byte> Payload = default,
        long Chunk = 0,
        long Timestamp = 0,
        string? Name = null,
        char Digit = '\0');

    private readonly record struct ReceiveEnd(bool Closed, WebSocketCloseStatus? Status, string? Description);
}
