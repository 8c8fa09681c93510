using PhoneAgent.Bridge;

namespace PhoneAgent.Tests.Bridge.Testing;

/// <summary>A fake Twilio side for the pacer: records every frame, mark and clear with the fake clock's time.</summary>
internal sealed class RecordingSink(TimeProvider time) : IPlayoutSink
{
    private readonly DateTimeOffset _origin = time.GetUtcNow();

    public List<SinkItem> Items { get; } = [];

    public IEnumerable<SinkItem> Frames => Items.Where(i => i.Kind == "frame");

    public void Send(int turn, ReadOnlySpan<byte> frame, bool mark, long processingTicks)
    {
        Assert.Equal(160, frame.Length);
        lock (Items)
        {
            Items.Add(new SinkItem("frame", turn, time.GetUtcNow() - _origin, frame.ToArray()));
            if (mark)
            {
                Items.Add(new SinkItem("mark", turn, time.GetUtcNow() - _origin, null));
            }
        }
    }

    public void EndTurn(int turn)
    {
        lock (Items)
        {
            Items.Add(new SinkItem("end", turn, time.GetUtcNow() - _origin, null));
        }
    }

    public Task ClearAsync()
    {
        lock (Items)
        {
            Items.Add(new SinkItem("clear", 0, time.GetUtcNow() - _origin, null));
        }

        return Task.CompletedTask;
    }
}

internal sealed record SinkItem(string Kind, int Turn, TimeSpan At, byte[]? Frame);
