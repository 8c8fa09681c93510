using System.Globalization;
using System.Text;

namespace PhoneAgent.CallReplay.Load;

/// <summary>One sample of a Prometheus text exposition: <c>name{label="value",…} value</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var v) ? v : null;
}

/// <summary>A scrape of a Prometheus endpoint (text format 0.0.4), with the lookups the load report needs.</summary>
public sealed class PrometheusSnapshot
{
    private readonly Dictionary<string, List<PrometheusSample>> _byName;

    private PrometheusSnapshot(List<PrometheusSample> samples)
    {
        Samples = samples;
        _byName = samples.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static PrometheusSnapshot Empty { get; } = new([]);

    /// <summary>Parses the text format; lines it cannot read are skipped.</summary>
    public static PrometheusSnapshot Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (TryParseLine(line) is { } sample)
            {
                samples.Add(sample);
            }
        }

        return new PrometheusSnapshot(samples);
    }

    public bool Has(string name) => _byName.ContainsKey(name);

    public IReadOnlyList<PrometheusSample> Get(string name) => _byName.TryGetValue(name, out var list) ? list : [];

    /// <summary>The sum of every series of <paramref name="name"/> whose labels pass <paramref name="filter"/>, or null when there is none.</summary>
    public double? Sum(string name, Func<PrometheusSample, bool>? filter = null)
    {
        var matching = Get(name).Where(s => filter?.Invoke(s) ?? true).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    /// <summary>The first of <paramref name="names"/> present, summed over its series.</summary>
    public (string Name, double Value)? First(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (Sum(name) is { } v)
            {
                return (name, v);
            }
        }

        return null;
    }

    /// <summary>
    /// The cumulative buckets of histogram <paramref name="baseName"/> (without <c>_bucket</c>) for the series whose labels
    /// pass <paramref name="filter"/>, summed across matching series: (upper bound, cumulative count), ascending, +Inf last.
    /// </summary>
    public HistogramBuckets Histogram(string baseName, Func<PrometheusSample, bool>? filter = null)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var s in Get(baseName + "_bucket"))
        {
            if (filter is not null && !filter(s))
            {
                continue;
            }

            if (s.Label("le") is not { } le || !TryParseNumber(le, out var bound))
            {
                continue;
            }

            buckets[bound] = buckets.GetValueOrDefault(bound) + s.Value;
        }

        return new HistogramBuckets([.. buckets.Select(b => (b.Key, b.Value))]);
    }

    private static PrometheusSample? TryParseLine(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        if (i == 0)
        {
            return null;
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (i < line.Length && line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
                {
                    return null;
                }

                var key = line[i..eq].Trim().TrimStart(',').Trim();
                var value = new StringBuilder();
                var j = eq + 2;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    if (line[j] == '\\' && j + 1 < line.Length)
                    {
                        j++;
                        value.Append(line[j] switch { 'n' => '\n', var c => c });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                if (j >= line.Length)
                {
                    return null;
                }

                labels[key] = value.ToString();
                i = j + 1;
                while (i < line.Length && line[i] is ',' or ' ')
                {
                    i++;
                }
            }

            i++; // '}'
        }

        var rest = line[Math.Min(i, line.Length)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return rest.Length > 0 && TryParseNumber(rest[0], out var number) ? new PrometheusSample(name, labels, number) : null;
    }

    private static bool TryParseNumber(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}

/// <summary>A Prometheus histogram's cumulative buckets: (upper bound "le", observations ≤ it), ascending, +Inf last.</summary>
public sealed record HistogramBuckets(IReadOnlyList<(double Le, double Count)> Cumulative)
{
    /// <summary>Observations in all.</summary>
    public double Total => Cumulative.Count == 0 ? 0 : Cumulative[^1].Count;

    /// <summary>This minus an earlier scrape of the same counters (what happened in between).</summary>
    public HistogramBuckets Minus(HistogramBuckets? earlier)
    {
        if (earlier is null || earlier.Cumulative.Count == 0)
        {
            return this;
        }

        var before = earlier.Cumulative.ToDictionary(b => b.Le, b => b.Count);
        return new HistogramBuckets([.. Cumulative.Select(b => (b.Le, Math.Max(0, b.Count - before.GetValueOrDefault(b.Le))))]);
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile estimated as PromQL's <c>histogram_quantile</c> does: linear within the bucket
    /// holding rank q·total (from 0 for the first bucket); in the +Inf bucket, the largest finite bound. NaN when empty.
    /// </summary>
    public double Quantile(double q)
    {
        var total = Total;
        if (total <= 0 || Cumulative.Count == 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        var previousLe = 0.0;
        var previousCount = 0.0;
        foreach (var (le, count) in Cumulative)
        {
            if (count >= rank && count > previousCount)
            {
                if (double.IsPositiveInfinity(le))
                {
                    return previousLe;
                }

                return previousLe + ((le - previousLe) * (rank - previousCount) / (count - previousCount));
            }

            previousLe = double.IsPositiveInfinity(le) ? previousLe : le;
            previousCount = count;
        }

        return previousLe;
    }

    /// <summary>Share of observations at or below <paramref name="bound"/> (exact when it is a bucket bound; interpolated otherwise).</summary>
    public double FractionAtOrBelow(double bound)
    {
        var total = Total;
        if (total <= 0)
        {
            return double.NaN;
        }

        var previousLe = 0.0;
        var previousCount = 0.0;
        foreach (var (le, count) in Cumulative)
        {
            if (le >= bound)
            {
                if (le == bound || double.IsPositiveInfinity(le))
                {
                    return (le == bound ? count : previousCount) / total;
                }

                return (previousCount + ((count - previousCount) * (bound - previousLe) / (le - previousLe))) / total;
            }

            previousLe = le;
            previousCount = count;
        }

        return 1;
    }
}
