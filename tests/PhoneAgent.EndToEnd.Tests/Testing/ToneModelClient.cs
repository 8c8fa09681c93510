using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using PhoneAgent.Model;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>
/// A model that hears and speaks tones: it keeps every byte of caller audio it is sent (PCM16 at 16 kHz) and, when the
/// greeting is asked for, speaks each of <see cref="Replies"/> as its own turn (24 kHz tones at a known level).
/// </summary>
internal sealed class ToneModelClient : IRealtimeModelClient
{
    public IReadOnlyList<(double FrequencyHz, double Dbfs, TimeSpan Duration)> Replies { get; init; } = [];

    public ConcurrentQueue<ToneModelSession> Sessions { get; } = new();

    public IRealtimeModelSession Open(ModelSessionConfig config)
    {
        var session = new ToneModelSession(Replies);
        Sessions.Enqueue(session);
        return session;
    }
}

internal sealed class ToneModelSession(IReadOnlyList<(double FrequencyHz, double Dbfs, TimeSpan Duration)> replies) : IRealtimeModelSession
{
    private readonly Channel<ModelEvent> _events = Channel.CreateUnbounded<ModelEvent>();
    private readonly Channel<ModelAudioChunk> _audio = Channel.CreateUnbounded<ModelAudioChunk>();
    private readonly TaskCompletionSource<ModelSessionEnd> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<byte> _heard = [];
    private long _sequence;

    public string Id => "tones";

    public int InputSampleRate => 16_000;

    public int OutputSampleRate => 24_000;

    public ModelSessionFeatures Features { get; } = new(true, false);

    public Task Ready => Task.CompletedTask;

    public ChannelReader<ModelEvent> Events => _events.Reader;

    public ChannelReader<ModelAudioChunk> Audio => _audio.Reader;

    public Task<ModelSessionEnd> Completion => _completion.Task;

    public ModelSessionCounters Counters { get; } = new();

    /// <summary>Caller audio as the model received it.</summary>
    public short[] Heard()
    {
        lock (_heard)
        {
            var bytes = _heard.ToArray();
            var samples = new short[bytes.Length / 2];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
            return samples;
        }
    }

    public void SendAudio(ReadOnlySpan<byte> pcm)
    {
        lock (_heard)
        {
            _heard.AddRange(pcm);
        }
    }

    public void SendAudioStreamEnd()
    {
    }

    public void SendText(string text)
    {
        if (!text.Contains("Greet the caller", StringComparison.Ordinal))
        {
            return;
        }

        var turn = 0L;
        foreach (var (frequency, dbfs, duration) in replies)
        {
            turn++;
            var amplitude = 32767 * Math.Pow(10, dbfs / 20);
            var total = (int)(24_000 * duration.TotalSeconds);
            const int ChunkSamples = 4800; // 200 ms, as the service sends
            long last = -1;
            for (var offset = 0; offset < total; offset += ChunkSamples)
            {
                var n = Math.Min(ChunkSamples, total - offset);
                var buffer = ArrayPool<byte>.Shared.Rent(n * 2);
                for (var i = 0; i < n; i++)
                {
                    var s = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * (offset + i) / 24_000));
                    buffer[2 * i] = (byte)s;
                    buffer[(2 * i) + 1] = (byte)(s >> 8);
                }

                last = _sequence++;
                _audio.Writer.TryWrite(new ModelAudioChunk(buffer, n * 2, 24_000, turn, last));
            }

            _events.Writer.TryWrite(new GenerationComplete(turn));
            _events.Writer.TryWrite(new TurnComplete(turn, last));
        }
    }

    public void SendContent(ModelContent content)
    {
    }

    public void SendToolResult(ModelToolResult result)
    {
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        _completion.TrySetResult(new ModelSessionEnd(ModelSessionEndReason.ClosedByClient));
        _events.Writer.TryComplete();
        _audio.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => CloseAsync();
}
