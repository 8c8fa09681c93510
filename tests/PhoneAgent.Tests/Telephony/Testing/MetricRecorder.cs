using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>Records the <c>PhoneAgent.Twilio</c> measurements of one app (by its <see cref="IMeterFactory"/>).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MetricRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "PhoneAgent.Twilio" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Enqueue((instrument.Name, value, map));
        });
        _listener.Start();
    }

    public long Sum(string instrument, string? tag = null, string? value = null) =>
        _measurements.Where(m => m.Instrument == instrument && (tag is null || (m.Tags.TryGetValue(tag, out var v) && v == value))).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
