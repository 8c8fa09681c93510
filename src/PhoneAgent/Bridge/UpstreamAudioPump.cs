using System.Runtime.InteropServices;
using System.Threading.Channels;
using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Bridge;

/// <summary>
/// Caller → model: each Twilio frame as soon as it arrives: μ-law decode, 8 → 16 kHz (the model's input rate),
/// PCM16 LE, <c>SendAudio</c> (batching of 2–5 frames is an option, off by default).
/// </summary>
/// <remarks>
/// Some calls send no frames while the caller is silent. When none has come for <c>Bridge:SilenceFillAfter</c>
/// (~100 ms), a timer sends silence through the same path, one 20 ms frame per 20 ms on an absolute clock, so the
/// model's voice activity detection sees the pause end the caller's turn; after <c>Bridge:AudioStreamEndAfter</c>
/// (~1 s) it sends <c>audioStreamEnd</c> and stops until audio comes again.
/// </remarks>
internal sealed class UpstreamAudioPump : IDisposable
{
    private const int MaxInputSamples = 1024;

    private readonly Action<ReadOnlyMemory<byte>> _sendAudio;
    private readonly Action _sendAudioStreamEnd;
    private readonly TimeProvider _timeProvider;
    private readonly BridgeMetrics? _metrics;
    private readonly TimeSpan _fillAfter;
    private readonly TimeSpan _streamEndAfter;
    private readonly int _batchFrames;
    private readonly StreamingResampler? _resampler;
    private readonly Lock _gate = new();
    private readonly short[] _decoded = new short[MaxInputSamples];
    private readonly short[] _resampled;
    private readonly byte[] _batch;
    private readonly ITimer _silenceTimer;
    private readonly double _tickMilliseconds;
    private int _batchLength;
    private int _batchCount;
    private long _lastFrameAt;
    private long _silenceFramesSent;
    private bool _streamEnded;
    private bool _disposed;

    public UpstreamAudioPump(
        int outputSampleRate,
        Action<ReadOnlyMemory<byte>> sendAudio,
        Action sendAudioStreamEnd,
        BridgeOptions options,
        TimeProvider timeProvider,
        BridgeMetrics? metrics = null)
    {
        _sendAudio = sendAudio;
        _sendAudioStreamEnd = sendAudioStreamEnd;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _fillAfter = options.SilenceFillAfter;
        _streamEndAfter = options.AudioStreamEndAfter;
        _batchFrames = options.UpstreamBatchFrames;
        _resampler = outputSampleRate == 8000 ? null : StreamingResampler.Create(8000, outputSampleRate);
        _resampled = new short[(_resampler?.MaxOutputLength(MaxInputSamples) ?? MaxInputSamples) + 1];
        _batch = new byte[_resampled.Length * 2 * _batchFrames];
        _tickMilliseconds = 1000.0 / timeProvider.TimestampFrequency;
        _lastFrameAt = timeProvider.GetTimestamp();
        _silenceTimer = timeProvider.CreateTimer(static s => ((UpstreamAudioPump)s!).OnSilenceTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Caller frames forwarded.</summary>
    public long Frames { get; private set; }

    /// <summary>20 ms silence frames the bridge sent on its own.</summary>
    public long SilenceFrames { get; private set; }

    /// <summary>Called for each caller frame taken off the lane (idle watchdog, transcript timing).</summary>
    public Action? FrameArrived { get; set; }

    /// <summary>Reads caller frames until the lane completes (stop, socket gone) or the call ends.</summary>
    public async Task RunAsync(ChannelReader<InboundAudioFrame> frames, CancellationToken cancellationToken)
    {
        ArmSilenceTimer();
        try
        {
            while (await frames.WaitToReadAsync(cancellationToken))
            {
                while (frames.TryRead(out var frame))
                {
                    using (frame)
                    {
                        Forward(frame.MuLaw);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call is over.
        }
        finally
        {
            _silenceTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>One caller frame (μ-law 8 kHz, any length up to 1024 samples; longer ones are split).</summary>
    public void Forward(ReadOnlySpan<byte> muLaw)
    {
        var started = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _lastFrameAt = started;
            _silenceFramesSent = 0;
            _streamEnded = false;
            while (!muLaw.IsEmpty)
            {
                var n = Math.Min(muLaw.Length, MaxInputSamples);
                MuLaw.Decode(muLaw[..n], _decoded);
                ProcessLocked(_decoded.AsSpan(0, n));
                muLaw = muLaw[n..];
            }

            Frames++;
        }

        _silenceTimer.Change(_fillAfter, Timeout.InfiniteTimeSpan);
        _metrics?.CallerFrameProcessed((_timeProvider.GetTimestamp() - started) * _tickMilliseconds);
        FrameArrived?.Invoke();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _silenceTimer.Dispose();
    }

    private void ArmSilenceTimer() => _silenceTimer.Change(_fillAfter, Timeout.InfiniteTimeSpan);

    /// <summary>No caller frame for a while: owe one silence frame per 20 ms of gap (absolute), then audioStreamEnd.</summary>
    private void OnSilenceTimer()
    {
        TimeSpan next;
        lock (_gate)
        {
            if (_disposed || _streamEnded)
            {
                return;
            }

            var gap = _timeProvider.GetElapsedTime(_lastFrameAt);
            if (gap >= _streamEndAfter)
            {
                FlushBatchLocked();
                _streamEnded = true;
                _sendAudioStreamEnd();
                return;
            }

            var owed = (long)(gap / PlayoutPacer.FrameDuration) - _silenceFramesSent;
            Span<short> silence = stackalloc short[160];
            silence.Clear();
            for (var i = 0; i < owed; i++)
            {
                ProcessLocked(silence);
                _silenceFramesSent++;
                SilenceFrames++;
            }

            // The next frame is due when the gap reaches one more whole frame; audioStreamEnd at its own deadline.
            var nextFrame = (PlayoutPacer.FrameDuration * (_silenceFramesSent + 1)) - gap;
            var untilEnd = _streamEndAfter - gap;
            next = nextFrame < untilEnd ? nextFrame : untilEnd;
        }

        _silenceTimer.Change(next > TimeSpan.Zero ? next : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }

    private void ProcessLocked(ReadOnlySpan<short> samples)
    {
        var output = samples;
        if (_resampler is not null)
        {
            var written = _resampler.Process(samples, _resampled);
            output = _resampled.AsSpan(0, written);
        }

        var bytes = MemoryMarshal.AsBytes(output);
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < output.Length; i++)
            {
                _batch[_batchLength + (2 * i)] = (byte)output[i];
                _batch[_batchLength + (2 * i) + 1] = (byte)(output[i] >> 8);
            }
        }
        else
        {
            bytes.CopyTo(_batch.AsSpan(_batchLength));
        }

        _batchLength += bytes.Length;
        if (++_batchCount >= _batchFrames || _batchLength + bytes.Length > _batch.Length)
        {
            FlushBatchLocked();
        }
    }

    private void FlushBatchLocked()
    {
        if (_batchLength > 0)
        {
            _sendAudio(_batch.AsMemory(0, _batchLength));
        }

        _batchLength = 0;
        _batchCount = 0;
    }
}
