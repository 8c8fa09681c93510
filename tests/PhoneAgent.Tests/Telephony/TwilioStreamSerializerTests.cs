using System.Buffers;
using System.Text;
using System.Text.Json;
using PhoneAgent.Telephony.MediaStreams;

namespace PhoneAgent.Tests.Telephony;

/// <summary>Every Media Streams message in, both number forms; media without allocation; exact wire JSON out.</summary>
public sealed class TwilioStreamSerializerTests
{
    private const string Sid = "MZ0123456789abcdef0123456789abcdef";

    // 160 bytes of μ-law silence: "/" × 212 + "/w==" (216 characters).
    private static readonly string SilencePayload = Convert.ToBase64String(Enumerable.Repeat((byte)0xFF, 160).ToArray());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Start_is_read_with_numbers_as_strings_or_numbers(bool quoted)
    {
        var json = $$$"""
            {"event":"start","sequenceNumber":{{{N(1, quoted)}}},"streamSid":"{{{Sid}}}",
             "start":{"streamSid":"{{{Sid}}}","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],
                      "customParameters":{"streamToken":"v1.1.2.abc","profile":"support"},
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":{{{N(8000, quoted)}}},"channels":{{{N(1, quoted)}}} } } }
            """;

        Assert.Equal(InboundEvent.Start, TwilioStreamSerializer.Read(Encoding.UTF8.GetBytes(json), out _));
        var message = TwilioStreamSerializer.ReadControl(Encoding.UTF8.GetBytes(json), TwilioStreamJsonContext.Default.StartMessage)!;
        Assert.Equal(1, message.SequenceNumber);
        Assert.Equal("CA1", message.Start!.CallSid);
        Assert.Equal("AC1", message.Start.AccountSid);
        Assert.Equal("v1.1.2.abc", message.Start.CustomParameters!["streamToken"]);
        Assert.Equal(["inbound"], message.Start.Tracks!);
        Assert.Equal(8000, message.Start.MediaFormat!.SampleRate);
        Assert.Equal(1, message.Start.MediaFormat.Channels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Media_is_read_with_numbers_as_strings_or_numbers(bool quoted)
    {
        var json = Encoding.UTF8.GetBytes($$$"""{"event":"media","sequenceNumber":{{{N(7, quoted)}}},"streamSid":"{{{Sid}}}","media":{"track":"inbound","chunk":{{{N(6, quoted)}}},"timestamp":{{{N(120, quoted)}}},"payload":"{{{SilencePayload}}}"}}""");

        Assert.Equal(InboundEvent.Media, TwilioStreamSerializer.Read(json, out var media));
        Assert.Equal(7, media.SequenceNumber);
        Assert.Equal(6, media.Chunk);
        Assert.Equal(120, media.Timestamp);
        Assert.False(media.OutboundTrack);
        Assert.True(TwilioStreamSerializer.StreamSidMatches(json, media, Encoding.UTF8.GetBytes(Sid)));
        Assert.False(TwilioStreamSerializer.StreamSidMatches(json, media, "MZother"u8));
        var buffer = new byte[TwilioStreamSerializer.MaxPayloadBytes(media)];
        Assert.True(TwilioStreamSerializer.TryDecodePayload(json, media, buffer, out var written));
        Assert.Equal(160, written);
        Assert.All(buffer.Take(160), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Media_fields_in_any_order_and_escaped_payload_are_read()
    {
        var escaped = SilencePayload.Replace("/", "\\/", StringComparison.Ordinal);
        var json = Encoding.UTF8.GetBytes($$$"""{"media":{"payload":"{{{escaped}}}","timestamp":"20","chunk":"1"},"streamSid":"{{{Sid}}}","event":"media"}""");

        Assert.Equal(InboundEvent.Media, TwilioStreamSerializer.Read(json, out var media));
        var buffer = new byte[TwilioStreamSerializer.MaxPayloadBytes(media)];
        Assert.True(TwilioStreamSerializer.TryDecodePayload(json, media, buffer, out var written));
        Assert.Equal(160, written);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Mark_dtmf_stop_and_connected_are_read(bool quoted)
    {
        var mark = $$$"""{"event":"mark","sequenceNumber":{{{N(41, quoted)}}},"streamSid":"{{{Sid}}}","mark":{"name":"t1.f5"}}""";
        var dtmf = $$$"""{"event":"dtmf","streamSid":"{{{Sid}}}","sequenceNumber":{{{N(40, quoted)}}},"dtmf":{"track":"inbound_track","digit":"5"}}""";
        var stop = $$$"""{"event":"stop","sequenceNumber":{{{N(900, quoted)}}},"streamSid":"{{{Sid}}}","stop":{"accountSid":"AC1","callSid":"CA1"}}""";
        const string connected = """{"event":"connected","protocol":"Call","version":"1.0.0"}""";

        Assert.Equal(InboundEvent.Mark, TwilioStreamSerializer.Read(Encoding.UTF8.GetBytes(mark), out _));
        Assert.Equal(InboundEvent.Dtmf, TwilioStreamSerializer.Read(Encoding.UTF8.GetBytes(dtmf), out _));
        Assert.Equal(InboundEvent.Stop, TwilioStreamSerializer.Read(Encoding.UTF8.GetBytes(stop), out _));
        Assert.Equal(InboundEvent.Connected, TwilioStreamSerializer.Read(Encoding.UTF8.GetBytes(connected), out _));

        var markMessage = TwilioStreamSerializer.ReadControl(Encoding.UTF8.GetBytes(mark), TwilioStreamJsonContext.Default.MarkMessage)!;
        Assert.Equal(("t1.f5", 41L), (markMessage.Mark!.Name!, markMessage.SequenceNumber!.Value));
        var dtmfMessage = TwilioStreamSerializer.ReadControl(Encoding.UTF8.GetBytes(dtmf), TwilioStreamJsonContext.Default.DtmfMessage)!;
        Assert.Equal(("5", "inbound_track", 40L), (dtmfMessage.Dtmf!.Digit!, dtmfMessage.Dtmf.Track!, dtmfMessage.SequenceNumber!.Value));
        var stopMessage = TwilioStreamSerializer.ReadControl(Encoding.UTF8.GetBytes(stop), TwilioStreamJsonContext.Default.StopMessage)!;
        Assert.Equal(("CA1", 900L), (stopMessage.Stop!.CallSid!, stopMessage.SequenceNumber!.Value));
        var connectedMessage = TwilioStreamSerializer.ReadControl(Encoding.UTF8.GetBytes(connected), TwilioStreamJsonContext.Default.ConnectedMessage)!;
        Assert.Equal(("Call", "1.0.0"), (connectedMessage.Protocol!, connectedMessage.Version!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"event\":\"media\",\"media\":{\"payload\":\"//")]
    [InlineData("{\"event\":\"media\",\"media\":{}}")]
    [InlineData("{\"media\":{\"payload\":\"/w==\"}}")]
    [InlineData("{\"event\":5}")]
    [InlineData("{\"event\":\"media\"} trailing")]
    public void Malformed_input_is_reported_not_thrown(string json) =>
        Assert.Equal(InboundEvent.Malformed, TwilioStreamSerializer.Read(Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void Unknown_events_and_bad_base64_are_told_apart()
    {
        Assert.Equal(InboundEvent.Unknown, TwilioStreamSerializer.Read("""{"event":"hello"}"""u8, out _));
        var json = """{"event":"media","media":{"payload":"%%%not-base64%%%"}}"""u8;
        Assert.Equal(InboundEvent.Media, TwilioStreamSerializer.Read(json, out var media));
        Assert.False(TwilioStreamSerializer.TryDecodePayload(json, media, new byte[64], out _));
    }

    [Fact]
    public void Outbound_messages_are_exact_wire_json()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);

        TwilioStreamSerializer.WriteMedia(writer, Sid, Enumerable.Repeat((byte)0xFF, 160).ToArray());
        Assert.Equal($$$"""{"event":"media","streamSid":"{{{Sid}}}","media":{"payload":"{{{SilencePayload}}}"}}""", Text(buffer, writer));
        Assert.Equal(216, SilencePayload.Length);

        // '+' and '/' in base64 must not be JSON-escaped (\u002B would still decode, but is not what Twilio's samples send).
        TwilioStreamSerializer.WriteMedia(writer, Sid, [0xFB, 0xEF, 0xBE, 0xFF]);
        Assert.Equal($$$"""{"event":"media","streamSid":"{{{Sid}}}","media":{"payload":"++++/w=="}}""", Text(buffer, writer));

        TwilioStreamSerializer.WriteMark(writer, Sid, "t3.f120.end");
        Assert.Equal($$$"""{"event":"mark","streamSid":"{{{Sid}}}","mark":{"name":"t3.f120.end"}}""", Text(buffer, writer));

        TwilioStreamSerializer.WriteClear(writer, Sid);
        Assert.Equal($$$"""{"event":"clear","streamSid":"{{{Sid}}}"}""", Text(buffer, writer));
    }

    [Fact]
    public void Media_in_and_out_allocates_nothing_per_frame()
    {
        var json = Encoding.UTF8.GetBytes($$$"""{"event":"media","sequenceNumber":"2","streamSid":"{{{Sid}}}","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{SilencePayload}}}"}}""");
        var sid = Encoding.UTF8.GetBytes(Sid);
        var output = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });

        RoundTrip(100); // warm up: JIT, pool buckets, thread-local pool caches
        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrip(1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        void RoundTrip(int frames)
        {
            for (var i = 0; i < frames; i++)
            {
                if (TwilioStreamSerializer.Read(json, out var media) != InboundEvent.Media || !TwilioStreamSerializer.StreamSidMatches(json, media, sid))
                {
                    throw new InvalidOperationException("not media");
                }

                var frame = ArrayPool<byte>.Shared.Rent(TwilioStreamSerializer.MaxPayloadBytes(media));
                if (!TwilioStreamSerializer.TryDecodePayload(json, media, frame, out var written))
                {
                    throw new InvalidOperationException("bad payload");
                }

                output.ResetWrittenCount();
                writer.Reset(output);
                TwilioStreamSerializer.WriteMedia(writer, Sid, frame.AsSpan(0, written));
                ArrayPool<byte>.Shared.Return(frame);
            }
        }
    }

    private static string N(long value, bool quoted) => quoted ? $"\"{value}\"" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Text(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        return text;
    }
}
