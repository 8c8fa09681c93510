using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>
/// Writes server messages the way the service does (gemini-golden README §1, §6): pretty-printed proto JSON with a
/// 2-space indent, <c>"key": value</c>, one trailing newline, raw UTF-8, keys in proto field order, defaults omitted.
/// </summary>
internal static partial class ServerMessages
{
    private const int MaxRetainedBuffer = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ServerFrame SetupComplete(string? sessionId) => Build("setupComplete", sessionId is null ? "" : $"sessionId {sessionId}", w =>
    {
        w.WriteStartObject("setupComplete");
        if (sessionId is not null)
        {
            w.WriteString("sessionId", sessionId);
        }

        w.WriteEndObject();
    });

    /// <summary>A bare <c>{}</c>, as 3.x models send between chunks.</summary>
    public static ServerFrame Empty() => Build("empty", "", _ => { });

    public static ServerFrame EmptyServerContent() => Build("serverContent", "(empty)", w =>
    {
        w.WriteStartObject("serverContent");
        w.WriteEndObject();
    });

    public static ServerFrame GenerationComplete() => ServerContentFlag("generationComplete");

    public static ServerFrame Interrupted() => ServerContentFlag("interrupted");

    public static ServerFrame InputTranscription(string text) => Build("serverContent.inputTranscription", Quote(text), w =>
    {
        w.WriteStartObject("serverContent");
        w.WriteStartObject("inputTranscription");
        w.WriteString("text", text);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>An output transcription delta; Vertex also sends it empty (opening) and with <c>finished</c> (closing).</summary>
    public static ServerFrame OutputTranscription(string? text, bool finished = false) =>
        Build("serverContent.outputTranscription", finished ? "(finished)" : text is null ? "(open)" : Quote(text), w =>
        {
            w.WriteStartObject("serverContent");
            w.WriteStartObject("outputTranscription");
            if (!string.IsNullOrEmpty(text))
            {
                w.WriteString("text", text);
            }

            if (finished)
            {
                w.WriteBoolean("finished", true);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>One chunk of model audio; on 3.x the transcription delta rides in the same message.</summary>
    public static ServerFrame Audio(WireFlavor flavor, ReadOnlySpan<byte> pcm, string? transcription)
    {
        var ms = pcm.Length / 48.0;
        var summary = $"audio {pcm.Length} B ({ms:0} ms, {flavor.AudioMimeType})" + (transcription is null ? "" : $" + outputTranscription {Quote(transcription)}");

        // Written without Build's delegate: the span cannot be captured, and this is the message sent most often.
        var w = StartMessage();
        w.WriteStartObject("serverContent");
        StartModelTurn(w, flavor);
        w.WriteStartObject();
        w.WriteStartObject("inlineData");
        w.WriteString("mimeType", flavor.AudioMimeType);
        w.WriteBase64String("data", pcm);
        w.WriteEndObject();
        w.WriteEndObject();
        EndModelTurn(w, flavor);
        if (transcription is not null)
        {
            w.WriteStartObject("outputTranscription");
            w.WriteString("text", transcription);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        return new ServerFrame(FinishMessage(w), "serverContent.modelTurn", summary) { AudioBytes = pcm.Length };
    }

    /// <summary>A text part (TEXT modality) or a thought part (<c>thought: true</c>, never to be spoken).</summary>
    public static ServerFrame TextPart(WireFlavor flavor, string text, bool thought) =>
        Build("serverContent.modelTurn", (thought ? "thought " : "text ") + Quote(text), w =>
        {
            w.WriteStartObject("serverContent");
            WriteModelTurn(w, flavor, () =>
            {
                w.WriteStartObject();
                w.WriteString("text", text);
                if (thought)
                {
                    w.WriteBoolean("thought", true);
                }

                w.WriteEndObject();
            });
            w.WriteEndObject();
        });

    public static ServerFrame TurnComplete(WireFlavor flavor, UsageCounts usage) =>
        Build("serverContent.turnComplete", $"usage prompt={usage.Prompt} response={usage.Response} total={usage.Total}", w =>
        {
            w.WriteStartObject("serverContent");
            w.WriteBoolean("turnComplete", true);
            if (flavor.VertexUsageNames)
            {
                w.WriteStartObject("groundingMetadata");
                w.WriteEndObject();
            }

            w.WriteEndObject();
            WriteUsage(w, flavor, usage);
        });

    public static ServerFrame ToolCall(IReadOnlyList<(string Name, JsonElement Args, string? Id)> calls) =>
        Build("toolCall", string.Join(", ", calls.Select(c => $"{c.Name}({c.Args.GetRawText()}) id={c.Id ?? "(none)"}")), w =>
        {
            w.WriteStartObject("toolCall");
            w.WriteStartArray("functionCalls");
            foreach (var (name, args, id) in calls)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WritePropertyName("args");
                args.WriteTo(w);
                if (id is not null)
                {
                    w.WriteString("id", id);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static ServerFrame ToolCallCancellation(IReadOnlyList<string> ids) => Build("toolCallCancellation", string.Join(", ", ids), w =>
    {
        w.WriteStartObject("toolCallCancellation");
        w.WriteStartArray("ids");
        foreach (var id in ids)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static ServerFrame GoAway(TimeSpan timeLeft) => Build("goAway", $"timeLeft {ProtoDuration.Format(timeLeft)}", w =>
    {
        w.WriteStartObject("goAway");
        w.WriteString("timeLeft", ProtoDuration.Format(timeLeft));
        w.WriteEndObject();
    });

    /// <summary>A resumption update; a non-resumable one carries no handle (proto defaults are omitted).</summary>
    public static ServerFrame SessionResumptionUpdate(string? newHandle, bool resumable, long? lastConsumedClientMessageIndex) =>
        Build("sessionResumptionUpdate", resumable ? $"newHandle {newHandle} resumable" : "not resumable", w =>
        {
            w.WriteStartObject("sessionResumptionUpdate");
            if (newHandle is not null)
            {
                w.WriteString("newHandle", newHandle);
            }

            if (resumable)
            {
                w.WriteBoolean("resumable", true);
            }

            if (lastConsumedClientMessageIndex is { } index and > 0)
            {
                w.WriteString("lastConsumedClientMessageIndex", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            w.WriteEndObject();
        });

    public static ServerFrame VoiceActivity(bool start, TimeSpan audioOffset) =>
        Build("voiceActivity", $"{(start ? "ACTIVITY_START" : "ACTIVITY_END")} at {ProtoDuration.Format(audioOffset)}", w =>
        {
            w.WriteStartObject("voiceActivity");
            w.WriteString("type", start ? "ACTIVITY_START" : "ACTIVITY_END");
            w.WriteString("audioOffset", ProtoDuration.Format(audioOffset));
            w.WriteEndObject();
        });

    /// <summary>A fault: the start of a message, cut off, so it is not valid JSON.</summary>
    public static ServerFrame Malformed() => new(
        Encoding.UTF8.GetBytes("{\n  \"serverContent\": {\n    \"modelTurn\": {\n      \"parts\": [\n        {\n          \"inlineData\": {\n            \"mimeType\": \"audio/pc"),
        "malformed",
        "(fault) truncated JSON");

    private static ServerFrame ServerContentFlag(string name) => Build("serverContent." + name, "", w =>
    {
        w.WriteStartObject("serverContent");
        w.WriteBoolean(name, true);
        w.WriteEndObject();
    });

    private static void WriteModelTurn(Utf8JsonWriter w, WireFlavor flavor, Action writePart)
    {
        StartModelTurn(w, flavor);
        writePart();
        EndModelTurn(w, flavor);
    }

    /// <summary><c>"modelTurn": {</c>, the role where the flavor puts it first, and <c>"parts": [</c>.</summary>
    private static void StartModelTurn(Utf8JsonWriter w, WireFlavor flavor)
    {
        w.WriteStartObject("modelTurn");
        if (flavor.Role == ModelTurnRole.BeforeParts)
        {
            w.WriteString("role", "model");
        }

        w.WriteStartArray("parts");
    }

    private static void EndModelTurn(Utf8JsonWriter w, WireFlavor flavor)
    {
        w.WriteEndArray();
        if (flavor.Role == ModelTurnRole.AfterParts)
        {
            w.WriteString("role", "model");
        }

        w.WriteEndObject();
    }

    private static ServerFrame Build(string kind, string summary, Action<Utf8JsonWriter> writeBody)
    {
        var writer = StartMessage();
        writeBody(writer);
        return new ServerFrame(FinishMessage(writer), kind, summary);
    }

    /// <summary>
    /// The calling thread's writer over its reused buffer, reset and with the message's object opened: a frame costs
    /// one array of its exact size instead of a buffer grown by doubling and then copied.
    /// </summary>
    private static Utf8JsonWriter StartMessage()
    {
        _buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        _buffer.ResetWrittenCount();
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        }
        else
        {
            _writer.Reset(_buffer);
        }

        _writer.WriteStartObject();
        return _writer;
    }

    /// <summary>Closes the message and copies it out with the trailing newline.</summary>
    private static byte[] FinishMessage(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.Flush();
        var buffer = _buffer!;
        var bytes = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(bytes);
        bytes[^1] = (byte)'\n';
        if (buffer.Capacity > MaxRetainedBuffer)
        {
            // One huge message (a long tool call) does not pin its buffer to the thread for good.
            _buffer = null;
            _writer = null;
        }
        else
        {
            buffer.ResetWrittenCount();
        }

        return bytes;
    }

    private static string Quote(string text) => $"\"{text.ReplaceLineEndings("\\n")}\"";
}
