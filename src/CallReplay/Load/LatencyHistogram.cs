namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// A lock-free histogram of durations for millions of samples (the generator's send lateness, one per caller frame):
/// microsecond buckets below 64 µs, then 32 buckets per power of two (at most 3.2 % wide). Percentiles are read as the
/// upper edge of the bucket holding the nearest rank, so they never understate (capped at the largest value seen).
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 64;
    private const int PerOctave = 32;
    private const int MaxExponent = 36;
    private static readonly int BucketCount = Linear + ((MaxExponent - 1) * PerOctave);

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMilliseconds => Interlocked.Read(ref _maxMicros) / 1000.0;

    public double MeanMilliseconds => Count == 0 ? double.NaN : Interlocked.Read(ref _sumMicros) / 1000.0 / Count;

    /// <summary>Adds one sample (negative values count as zero).</summary>
    public void Record(TimeSpan value)
    {
        var micros = Math.Max(0, value.Ticks / 10);
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, micros);
        AtomicMax.Raise(ref _maxMicros, micros);
    }

    /// <summary>Adds every sample of <paramref name="other"/>.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < BucketCount; i++)
        {
            var c = Interlocked.Read(ref other._counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref _counts[i], c);
            }
        }

        Interlocked.Add(ref _count, other.Count);
        Interlocked.Add(ref _sumMicros, Interlocked.Read(ref other._sumMicros));
        var otherMax = Interlocked.Read(ref other._maxMicros);
        if (otherMax > Interlocked.Read(ref _maxMicros))
        {
            Interlocked.Exchange(ref _maxMicros, otherMax);
        }
    }

    /// <summary>The <paramref name="p"/>-quantile in milliseconds (NaN when empty).</summary>
    public double Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling((p * count) - 1e-9));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }

        return MaxMilliseconds;
    }

    /// <summary>Count, mean and percentiles in milliseconds.</summary>
    public LatencyStats ToStats() => Count == 0 ? LatencyStats.Empty : new LatencyStats
    {
        Count = (int)Math.Min(int.MaxValue, Count),
        Min = Percentile(0),
        Mean = MeanMilliseconds,
        P50 = Percentile(0.50),
        P90 = Percentile(0.90),
        P95 = Percentile(0.95),
        P99 = Percentile(0.99),
        Max = MaxMilliseconds,
    };

    /// <summary>Non-empty buckets as (lower ms, upper ms, count), for plotting.</summary>
    public IReadOnlyList<(double Lower, double Upper, long Count)> Buckets()
    {
        var buckets = new List<(double, double, long)>();
        for (var i = 0; i < BucketCount; i++)
        {
            var c = Interlocked.Read(ref _counts[i]);
            if (c != 0)
            {
                buckets.Add((LowerEdge(i) / 1000.0, (UpperEdge(i) + 1) / 1000.0, c));
            }
        }

        return buckets;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }

        var msb = 63 - (int)long.LeadingZeroCount(micros);
        var exponent = msb - 5; // (micros >> exponent) is in [32, 63]
        if (exponent >= MaxExponent)
        {
            return BucketCount - 1;
        }

        return Linear + ((exponent - 1) * PerOctave) + (int)((micros >> exponent) - PerOctave);
    }

    internal static long LowerEdge(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var exponent = ((index - Linear) / PerOctave) + 1;
        var mantissa = ((index - Linear) % PerOctave) + PerOctave;
        return (long)mantissa << exponent;
    }

    internal static long UpperEdge(int index) => index < Linear ? index : LowerEdge(index) + (1L << (((index - Linear) / PerOctave) + 1)) - 1;
}
