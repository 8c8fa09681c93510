using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using PhoneAgent.Bridge;
using PhoneAgent.Model;

namespace PhoneAgent.Tests.Bridge.Testing;

/// <summary>An in-memory <see cref="IRealtimeModelSession"/>: the test pushes events and audio, and reads what the bridge sent.</summary>
internal sealed class ScriptedModelSession : IRealtimeModelSession, IReconnectableModelSession
{
    private readonly Channel<ModelEvent> _events = Channel.CreateUnbounded<ModelEvent>();
    private readonly Channel<ModelAudioChunk> _audio = Channel.CreateUnbounded<ModelAudioChunk>();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ModelSessionEnd> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public ScriptedModelSession(bool ready = true, bool acceptsContent = true)
    {
        Features = new ModelSessionFeatures(acceptsContent, NonBlockingTools: false);
        if (ready)
        {
            _ready.SetResult();
        }
    }

    public string Id => "scripted";

    public int InputSampleRate => 16_000;

    public int OutputSampleRate => 24_000;

    public ModelSessionFeatures Features { get; }

    public Task Ready => _ready.Task;

    public ChannelReader<ModelEvent> Events => _events.Reader;

    public ChannelReader<ModelAudioChunk> Audio => _audio.Reader;

    public Task<ModelSessionEnd> Completion => _completion.Task;

    public ModelSessionCounters Counters { get; } = new();

    public ConcurrentQueue<string> Texts { get; } = new();

    public ConcurrentQueue<ModelContent> Contents { get; } = new();

    public ConcurrentQueue<ModelToolResult> ToolResults { get; } = new();

    public long AudioBytes;

    public int AudioStreamEnds;

    public int Reconnects;

    public void SetReady() => _ready.TrySetResult();

    public void Emit(ModelEvent modelEvent) => _events.Writer.TryWrite(modelEvent);

    /// <summary>Pushes <paramref name="duration"/> of a 24 kHz tone for <paramref name="turn"/>; returns its sequence.</summary>
    public long Speak(long turn, TimeSpan duration, double frequency = 1000)
    {
        var samples = (int)(24_000 * duration.TotalSeconds);
        var buffer = ArrayPool<byte>.Shared.Rent(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            var s = (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / 24_000));
            buffer[2 * i] = (byte)s;
            buffer[(2 * i) + 1] = (byte)(s >> 8);
        }

        var sequence = _sequence++;
        _audio.Writer.TryWrite(NewChunk(buffer, samples * 2, turn, sequence));
        return sequence;
    }

    public void End(ModelSessionEndReason reason) => _completion.TrySetResult(new ModelSessionEnd(reason));

    public void SendAudio(ReadOnlySpan<byte> pcm) => Interlocked.Add(ref AudioBytes, pcm.Length);

    public void SendAudioStreamEnd() => Interlocked.Increment(ref AudioStreamEnds);

    public void SendText(string text) => Texts.Enqueue(text);

    public void SendContent(ModelContent content) => Contents.Enqueue(content);

    public void SendToolResult(ModelToolResult result) => ToolResults.Enqueue(result);

    public void Reconnect(string reason) => Interlocked.Increment(ref Reconnects);

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        _completion.TrySetResult(new ModelSessionEnd(ModelSessionEndReason.ClosedByClient));
        _events.Writer.TryComplete();
        _audio.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private static ModelAudioChunk NewChunk(byte[] buffer, int length, long turn, long sequence) => new(buffer, length, 24_000, turn, sequence);
}
