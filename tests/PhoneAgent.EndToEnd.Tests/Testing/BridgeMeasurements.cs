using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PhoneAgent.EndToEnd.Tests.Testing;

/// <summary>Collects the bridge's histograms of one server (its <see cref="IMeterFactory"/>) for the single-call figures.</summary>
public sealed class BridgeMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _values = new();

    public BridgeMeasurements(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "PhoneAgent.Bridge" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                if (tag.Key == "step")
                {
                    key = tag.Value?.ToString() ?? key;
                }
            }

            _values.GetOrAdd(key, _ => new ConcurrentQueue<double>()).Enqueue(value);
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            _values.GetOrAdd(key, _ => new ConcurrentQueue<double>()).Enqueue(value);
        });
        _listener.Start();
    }

    public void Clear() => _values.Clear();

    public IReadOnlyList<double> Values(string key) => _values.TryGetValue(key, out var queue) ? [.. queue] : [];

    public double Sum(string prefix) => _values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value.Sum());

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public string Report()
    {
        var lines = new List<string>();
        foreach (var step in new[] { "caller_frame_to_model", "model_chunk_to_twilio", "interrupted_to_clear", "phoneagent.bridge.pacing.lead" })
        {
            var values = Values(step);
            lines.Add($"{step}: n={values.Count} p50={Percentile(values, 50):0.000} ms p99={Percentile(values, 99):0.000} ms max={(values.Count == 0 ? double.NaN : values.Max()):0.000} ms");
        }

        return string.Join(Environment.NewLine, lines);
    }

    public void Dispose() => _listener.Dispose();
}
