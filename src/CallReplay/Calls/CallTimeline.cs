using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>The events of one call, in order, shared by its streams and verbs (thread-safe).</summary>
public sealed class CallTimeline(Action<TimelineEvent>? onEvent = null)
{
    /// <summary>Readable JSON: a JSONL file is not HTML, so +, → and quotes stay as they are.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly List<TimelineEvent> _events = [];
    private readonly Lock _lock = new();

    /// <summary>A snapshot, sorted by time (events are added as they are observed, slightly out of order at times).</summary>
    public IReadOnlyList<TimelineEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.OrderBy(e => e.At)];
            }
        }
    }

    public TimelineEvent Add(TimeSpan at, string kind, string text, IReadOnlyDictionary<string, object?>? data = null)
    {
        var e = new TimelineEvent(at, kind, text) { Data = data ?? new Dictionary<string, object?>() };
        lock (_lock)
        {
            _events.Add(e);
        }

        onEvent?.Invoke(e);
        return e;
    }

    /// <summary>Writes one JSON object per line: <c>{"tMs":…,"kind":…,"text":…, …data}</c>.</summary>
    public static void WriteJsonl(Stream stream, IEnumerable<TimelineEvent> events)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        var newline = "\n"u8.ToArray();
        foreach (var e in events)
        {
            using (var w = new Utf8JsonWriter(stream, WriterOptions))
            {
                w.WriteStartObject();
                w.WriteNumber("tMs", Math.Round(e.At.TotalMilliseconds, 3));
                w.WriteString("kind", e.Kind);
                w.WriteString("text", e.Text);
                foreach (var (key, value) in e.Data)
                {
                    w.WritePropertyName(key);
                    JsonSerializer.Serialize(w, value, value?.GetType() ?? typeof(object), Json);
                }

                w.WriteEndObject();
            }

            stream.Write(newline);
        }
    }

    /// <summary>The timeline as JSONL text.</summary>
    public static string ToJsonl(IEnumerable<TimelineEvent> events)
    {
        using var stream = new MemoryStream();
        WriteJsonl(stream, events);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
