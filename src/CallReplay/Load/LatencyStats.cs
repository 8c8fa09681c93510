namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// Summary of a set of values in milliseconds: count, mean and nearest-rank percentiles (the same rule as
/// <see cref="Calls.DistributionSummary"/>: the smallest value with at least p·n values at or below it).
/// </summary>
public sealed record LatencyStats
{
    public int Count { get; init; }

    public double Min { get; init; }

    public double Mean { get; init; }

    public double P50 { get; init; }

    public double P90 { get; init; }

    public double P95 { get; init; }

    public double P99 { get; init; }

    public double Max { get; init; }

    /// <summary>No values.</summary>
    public static LatencyStats Empty { get; } = new();

    /// <summary>The summary of <paramref name="values"/> (milliseconds; any order).</summary>
    public static LatencyStats Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        return new LatencyStats
        {
            Count = sorted.Length,
            Min = sorted[0],
            Mean = sorted.Average(),
            P50 = Percentiles.NearestRank(sorted, 0.50),
            P90 = Percentiles.NearestRank(sorted, 0.90),
            P95 = Percentiles.NearestRank(sorted, 0.95),
            P99 = Percentiles.NearestRank(sorted, 0.99),
            Max = sorted[^1],
        };
    }
}

/// <summary>Percentile rules used by the load report.</summary>
public static class Percentiles
{
    /// <summary>
    /// Nearest rank (<see cref="Calls.NearestRank"/>): the value at 1-based rank ⌈p·n⌉ of <paramref name="sorted"/>
    /// (ascending), clamped to [1, n]; NaN when there is none.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        return sorted.Count == 0 ? double.NaN : sorted[Calls.NearestRank.Index(sorted.Count, p)];
    }

    /// <summary>
    /// The empirical CDF of <paramref name="sorted"/> as steps: (value, fraction of values at or below it), one point per
    /// distinct value, at most <paramref name="maxPoints"/> points (evenly thinned, always keeping the last).
    /// </summary>
    public static IReadOnlyList<(double Value, double Fraction)> Cdf(IReadOnlyList<double> sorted, int maxPoints = 400)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var points = new List<(double, double)>();
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i + 1 < sorted.Count && sorted[i + 1] == sorted[i])
            {
                continue;
            }

            points.Add((sorted[i], (i + 1) / (double)sorted.Count));
        }

        if (points.Count <= maxPoints)
        {
            return points;
        }

        var thinned = new List<(double, double)>(maxPoints);
        var step = points.Count / (double)maxPoints;
        for (var k = 0; k < maxPoints - 1; k++)
        {
            thinned.Add(points[(int)(k * step)]);
        }

        thinned.Add(points[^1]);
        return thinned;
    }
}
