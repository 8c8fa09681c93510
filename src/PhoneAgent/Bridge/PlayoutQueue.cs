namespace PhoneAgent.Bridge;

/// <summary>
/// A FIFO of <see cref="PlayoutFrame"/>s on a growable ring (no allocation once grown); frames can be edited in place
/// (flags) and removed from the tail. Not thread-safe: <see cref="PlayoutPacer"/> guards it.
/// </summary>
internal sealed class PlayoutQueue
{
    private PlayoutFrame[] _items = new PlayoutFrame[64];
    private int _head;

    public int Count { get; private set; }

    public ref PlayoutFrame this[int index] => ref _items[(_head + index) % _items.Length];

    public ref PlayoutFrame Peek() => ref this[0];

    public void Enqueue(in PlayoutFrame frame)
    {
        if (Count == _items.Length)
        {
            var larger = new PlayoutFrame[_items.Length * 2];
            for (var i = 0; i < Count; i++)
            {
                larger[i] = this[i];
            }

            _items = larger;
            _head = 0;
        }

        _items[(_head + Count) % _items.Length] = frame;
        Count++;
    }

    public PlayoutFrame Dequeue()
    {
        var frame = _items[_head];
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        Count--;
        return frame;
    }

    /// <summary>Removes the newest frame.</summary>
    public PlayoutFrame RemoveLast()
    {
        ref var slot = ref this[Count - 1];
        var frame = slot;
        slot = default;
        Count--;
        return frame;
    }
}
