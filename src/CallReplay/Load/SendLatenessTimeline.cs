namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// The generator's own stalls on the run's clock: for each 10 ms slot, the largest send lateness of a caller frame due
/// in it. A gap the caller heard while the generator was itself stalled for at least as long may be the generator's
/// (it read audio that had arrived in time late), so the report does not hold it against the server.
/// </summary>
/// <remarks>
/// Lock-free (a frame is recorded by whichever thread sent it: about 10,000 a second at 200 calls); the slots live in
/// one-minute segments allocated as the run reaches them, for up to a day.
/// </remarks>
public sealed class SendLatenessTimeline
{
    /// <summary>The resolution.</summary>
    public const double SlotMs = 10;

    private const int SlotsPerSegment = 6_000; // a minute
    private const int Segments = 24 * 60;       // a day: later frames are not recorded

    private readonly int[]?[] _segments = new int[]?[Segments]; // microseconds

    /// <summary>A frame due <paramref name="dueMs"/> after the run started went out <paramref name="latenessMs"/> late.</summary>
    public void Record(double dueMs, double latenessMs)
    {
        if (dueMs < 0 || latenessMs <= 0 || !double.IsFinite(dueMs) || !double.IsFinite(latenessMs))
        {
            return;
        }

        var slot = (long)(dueMs / SlotMs);
        if (slot >= (long)Segments * SlotsPerSegment)
        {
            return;
        }

        var segment = Segment((int)(slot / SlotsPerSegment));
        AtomicMax.Raise(ref segment[(int)(slot % SlotsPerSegment)], (int)Math.Min(int.MaxValue, latenessMs * 1000));
    }

    /// <summary>The largest lateness of frames due from <paramref name="fromMs"/> to <paramref name="toMs"/> (whole slots); 0 when none was late.</summary>
    public double MaxMs(double fromMs, double toMs)
    {
        var first = (long)Math.Max(0, Math.Floor(fromMs / SlotMs));
        var last = (long)Math.Min((long)Segments * SlotsPerSegment - 1, Math.Floor(toMs / SlotMs));
        var max = 0;
        for (var slot = first; slot <= last; slot++)
        {
            if (Volatile.Read(ref _segments[slot / SlotsPerSegment]) is { } segment)
            {
                max = Math.Max(max, Volatile.Read(ref segment[slot % SlotsPerSegment]));
            }
        }

        return max / 1000.0;
    }

    private int[] Segment(int index) =>
        Volatile.Read(ref _segments[index])
        ?? Interlocked.CompareExchange(ref _segments[index], new int[SlotsPerSegment], null)
        ?? _segments[index]!;
}
