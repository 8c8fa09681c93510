using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace PhoneAgent.Model;

/// <summary>
/// The model-audio lane of a session: a FIFO of <see cref="ModelAudioChunk"/> bounded by duration. The writer (the
/// receive loop) never waits: beyond the bound the oldest chunk is dropped, disposed and counted. An interrupted
/// turn's queued chunks are removed in one sweep (<see cref="DiscardTurn"/>).
/// </summary>
internal sealed class ModelAudioLane : ChannelReader<ModelAudioChunk>
{
    private readonly Channel<ModelAudioChunk> _inner = Channel.CreateUnbounded<ModelAudioChunk>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly long _maxTicks;
    private readonly ModelSessionCounters _counters;
    private long _queuedTicks;

    public ModelAudioLane(TimeSpan maxBuffered, ModelSessionCounters counters)
    {
        _maxTicks = maxBuffered.Ticks;
        _counters = counters;
    }

    /// <summary>Audio waiting for the consumer.</summary>
    public TimeSpan Queued => TimeSpan.FromTicks(Interlocked.Read(ref _queuedTicks));

    public override Task Completion => _inner.Reader.Completion;

    public override bool CanCount => true;

    public override int Count => _inner.Reader.Count;

    public override bool CanPeek => true;

    public void Write(ModelAudioChunk chunk)
    {
        if (!_inner.Writer.TryWrite(chunk))
        {
            chunk.Dispose();
            return;
        }

        var queued = Interlocked.Add(ref _queuedTicks, chunk.Duration.Ticks);
        while (queued > _maxTicks && _inner.Reader.Count > 1 && TryRead(out var oldest))
        {
            oldest.Dispose();
            _counters.OutputAudioDropped();
            queued = Interlocked.Read(ref _queuedTicks);
        }
    }

    /// <summary>Removes and disposes queued chunks of turns up to <paramref name="turn"/>; returns how many.</summary>
    public int DiscardTurn(long turn)
    {
        var discarded = 0;
        while (_inner.Reader.TryPeek(out var head) && head.Turn <= turn && TryRead(out var chunk))
        {
            chunk.Dispose();
            _counters.InterruptedAudioDiscarded();
            discarded++;
        }

        return discarded;
    }

    public override bool TryRead([MaybeNullWhen(false)] out ModelAudioChunk item)
    {
        if (_inner.Reader.TryRead(out item))
        {
            Interlocked.Add(ref _queuedTicks, -item.Duration.Ticks);
            return true;
        }

        return false;
    }

    public override bool TryPeek([MaybeNullWhen(false)] out ModelAudioChunk item) => _inner.Reader.TryPeek(out item);

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => _inner.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>No more audio; what is queued stays readable.</summary>
    public void Complete() => _inner.Writer.TryComplete();

    /// <summary>Disposes everything still queued (after the session ended and the consumer is gone).</summary>
    public void DisposeQueued()
    {
        while (TryRead(out var chunk))
        {
            chunk.Dispose();
        }
    }
}
