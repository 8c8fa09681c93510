namespace PhoneAgent.CallReplay.Calls;

/// <summary>The nearest-rank percentile rule that every CallReplay figure uses (one call's and a whole load's).</summary>
public static class NearestRank
{
    /// <summary>
    /// The 0-based index in an ascending list of <paramref name="count"/> values of the p-th percentile: 1-based rank
    /// ⌈p·n⌉ clamped to [1, n]. p50 of 4 values is the 2nd; p99 of 100 values is the 99th; p100 is the largest.
    /// </summary>
    /// <remarks>p·n is rounded down by 1e-9 first, so that 0.1 × 100 (10.000000000000002 in binary) is rank 10, not 11.</remarks>
    public static int Index(int count, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        var rank = (int)Math.Ceiling((p * count) - 1e-9);
        return Math.Clamp(rank, 1, count) - 1;
    }
}
