using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Bridge;

/// <summary>
/// <see cref="IPlayoutSink"/> over the Twilio stream. The transport sends what it is given at once (it does not pace);
/// it reports each chunk's first frame after its <c>SendAsync</c>, which closes the <c>model_chunk_to_twilio</c> step.
/// </summary>
internal sealed class TwilioPlayoutSink : IPlayoutSink
{
    private readonly TwilioMediaStream _stream;
    private readonly BridgeMetrics _metrics;
    private readonly double _tickMilliseconds;

    public TwilioPlayoutSink(TwilioMediaStream stream, BridgeMetrics metrics, TimeProvider timeProvider)
    {
        _stream = stream;
        _metrics = metrics;
        _tickMilliseconds = 1000.0 / timeProvider.TimestampFrequency;
        stream.FrameSent = OnFrameSent;
    }

    public void Send(int turn, ReadOnlySpan<byte> frame, bool mark, long processingTicks) =>
        _stream.EnqueueAudio(turn, frame, mark, processingTicks);

    public void EndTurn(int turn) => _stream.EndTurn(turn);

    public Task ClearAsync() => _stream.ClearAsync();

    private void OnFrameSent(long processingTicks, TimeSpan sendTime) =>
        _metrics.ModelChunkProcessed((processingTicks * _tickMilliseconds) + sendTime.TotalMilliseconds);
}
