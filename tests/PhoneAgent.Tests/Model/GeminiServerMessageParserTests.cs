using System.Text;
using System.Text.Json.Nodes;
using PhoneAgent.Model;
using PhoneAgent.Model.Gemini;
using PhoneAgent.Tests.Model.Testing;

namespace PhoneAgent.Tests.Model;

/// <summary>Every server golden parses, byte for byte as recorded and re-serialized compactly, with every field read.</summary>
public sealed class GeminiServerMessageParserTests
{
    public static TheoryData<string> ServerGoldens() => [.. GeminiGolden.Files("server-")];

    [Theory]
    [MemberData(nameof(ServerGoldens))]
    public void Every_server_golden_parses_without_unknown_fields(string file)
    {
        var message = Parse(GeminiGolden.Bytes(file));

        // groundingMetadata is the one field a phone bridge has no use for.
        Assert.All(message.IgnoredFields, f => Assert.Equal("serverContent.groundingMetadata", f));
        message.Reset();
    }

    [Theory]
    [MemberData(nameof(ServerGoldens))]
    public void Layout_does_not_matter(string file)
    {
        var pretty = Parse(GeminiGolden.Bytes(file));
        var compact = Parse(Encoding.UTF8.GetBytes(JsonNode.Parse(GeminiGolden.Bytes(file))!.ToJsonString()));

        Assert.Equal(Summary(pretty), Summary(compact));
        pretty.Reset();
        compact.Reset();
    }

    [Fact]
    public void Every_server_frame_of_every_recorded_sequence_parses()
    {
        foreach (var file in GeminiGolden.Files("sequence-"))
        {
            foreach (var frame in GeminiGolden.Json(file)["frames"]!.AsArray().Where(f => f!["dir"]!.GetValue<string>() == "s2c" && f["json"] is not null))
            {
                var message = Parse(Encoding.UTF8.GetBytes(frame!["json"]!.ToJsonString()));
                Assert.All(message.IgnoredFields, f => Assert.Equal("serverContent.groundingMetadata", f));
                message.Reset();
            }
        }
    }

    [Fact]
    public void Developer_API_audio_is_24_kHz_PCM_decoded_from_base64()
    {
        var golden = GeminiGolden.Json("server-audio-chunk-devapi.json");
        var expected = Convert.FromBase64String(golden["serverContent"]!["modelTurn"]!["parts"]![0]!["inlineData"]!["data"]!.GetValue<string>());

        var message = Parse(GeminiGolden.Bytes("server-audio-chunk-devapi.json"));

        var part = Assert.Single(message.Audio);
        Assert.Equal(24_000, part.SampleRate);
        Assert.Equal(11_520, part.Length);
        Assert.Equal(expected, part.Buffer.AsSpan(0, part.Length).ToArray());
        message.Reset();
    }

    [Fact]
    public void Vertex_audio_without_rate_is_24_kHz()
    {
        var message = Parse(GeminiGolden.Bytes("server-audio-chunk-vertex.json"));

        var part = Assert.Single(message.Audio);
        Assert.Equal(24_000, part.SampleRate);
        Assert.Equal(9_600, part.Length);
        message.Reset();
    }

    [Fact]
    public void Bundled_audio_and_transcription_are_both_read()
    {
        var message = Parse(GeminiGolden.Bytes("server-audio-chunk-with-transcription-devapi-3x.json"));

        Assert.Single(message.Audio);
        Assert.NotNull(message.OutputTranscription?.Text);
        message.Reset();
    }

    [Fact]
    public void Empty_messages_carry_nothing()
    {
        var empty = Parse(GeminiGolden.Bytes("server-empty-message.json"));
        Assert.True(empty.IsEmpty);

        var emptyContent = Parse(GeminiGolden.Bytes("server-serverContent-empty.json"));
        Assert.True(emptyContent.HasServerContent);
        Assert.Empty(emptyContent.Audio);
        Assert.False(emptyContent.TurnComplete || emptyContent.Interrupted || emptyContent.GenerationComplete);
    }

    [Fact]
    public void Setup_complete_of_both_back_ends()
    {
        Assert.True(Parse(GeminiGolden.Bytes("server-setupComplete-devapi.json")).SetupComplete);
        var vertex = Parse(GeminiGolden.Bytes("server-setupComplete-vertex.json"));
        Assert.True(vertex.SetupComplete);
        Assert.Equal("3f2a9c1e-7b4d-4e8a-9c6f-2d1b0a7e5c43", vertex.SessionId);
    }

    [Fact]
    public void Text_thought_and_code_parts()
    {
        Assert.Equal(new GeminiServerMessage.TextPart("Yes, I can hear you. What would you like to talk about?", false), Assert.Single(Parse(GeminiGolden.Bytes("server-text-part-devapi.json")).Texts));
        Assert.Equal(new GeminiServerMessage.TextPart("Yes, I can hear you.\n", false), Assert.Single(Parse(GeminiGolden.Bytes("server-text-part-vertex.json")).Texts));
        Assert.True(Assert.Single(Parse(GeminiGolden.Bytes("server-thought-part-devapi.json")).Texts).Thought);
        var code = Parse(GeminiGolden.Bytes("server-executableCode-devapi.json"));
        Assert.Equal(1, code.OtherParts);
        Assert.Empty(code.Texts);
    }

    [Fact]
    public void Turn_signals()
    {
        Assert.True(Parse(GeminiGolden.Bytes("server-generationComplete.json")).GenerationComplete);
        Assert.True(Parse(GeminiGolden.Bytes("server-interrupted.json")).Interrupted);
        var reason = Parse(GeminiGolden.Bytes("server-turnComplete-reason-INFERRED.json"));
        Assert.True(reason.TurnComplete);
        Assert.Equal("NEED_MORE_INPUT", reason.TurnCompleteReason);
        Assert.True(reason.WaitingForInput);
    }

    [Fact]
    public void Transcriptions_of_both_back_ends()
    {
        Assert.Equal(new GeminiServerMessage.Transcription(" my name", false), Parse(GeminiGolden.Bytes("server-transcription-input-devapi.json")).InputTranscription);
        Assert.Equal(new GeminiServerMessage.Transcription("Hello, what's the weather in Lyon?", false), Parse(GeminiGolden.Bytes("server-transcription-input-devapi-3x.json")).InputTranscription);
        Assert.Equal(new GeminiServerMessage.Transcription(" and twelve", false), Parse(GeminiGolden.Bytes("server-transcription-output-devapi.json")).OutputTranscription);
        Assert.Equal(new GeminiServerMessage.Transcription(null, false), Parse(GeminiGolden.Bytes("server-transcription-output-empty-vertex.json")).OutputTranscription);
        Assert.Equal(new GeminiServerMessage.Transcription(null, true), Parse(GeminiGolden.Bytes("server-transcription-output-finished-vertex.json")).OutputTranscription);
    }

    [Theory]
    [InlineData("server-toolCall-devapi.json", "function-call-10458203941175630621")]
    [InlineData("server-toolCall-devapi-3x.json", "fc_6120374459018273344")]
    [InlineData("server-toolCall-vertex.json", "8c1e4f27-5a3b-4d9e-b2c6-71f0e3a94d58")]
    [InlineData("server-toolCall-vertex-noid-legacy.json", null)]
    public void Tool_calls(string file, string? id)
    {
        var message = Parse(GeminiGolden.Bytes(file));

        var call = Assert.Single(message.FunctionCalls);
        Assert.Equal(id, call.Id);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Lyon", call.Args.GetProperty("city").GetString());
    }

    [Fact]
    public void Tool_call_cancellation() =>
        Assert.Equal(["function-call-10458203941175630621"], Parse(GeminiGolden.Bytes("server-toolCallCancellation.json")).CancelledCallIds);

    [Fact]
    public void Go_away_time_left_is_a_duration()
    {
        var message = Parse(GeminiGolden.Bytes("server-goAway.json"));
        Assert.True(message.HasGoAway);
        Assert.Equal(TimeSpan.FromSeconds(50), message.GoAwayTimeLeft);
    }

    [Theory]
    [InlineData("50s", 50_000)]
    [InlineData("1.880s", 1_880)]
    [InlineData("0.200s", 200)]
    [InlineData("4s", 4_000)]
    public void Durations(string value, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GeminiServerMessageParser.ParseDuration(value));

    [Fact]
    public void Resumption_updates()
    {
        var update = Parse(GeminiGolden.Bytes("server-resumption-update.json"));
        Assert.True(update.Resumable);
        Assert.Equal("b7d4e2a9-61c3-4f0b-8e5d-9a2c7f14e036", update.NewHandle);

        var noHandle = Parse(GeminiGolden.Bytes("server-resumption-update-no-handle-INFERRED.json"));
        Assert.True(noHandle.HasResumptionUpdate);
        Assert.False(noHandle.Resumable);
        Assert.Null(noHandle.NewHandle);
    }

    [Fact]
    public void Developer_API_usage_maps_response_tokens()
    {
        var usage = Parse(GeminiGolden.Bytes("server-turnComplete-usage-devapi.json")).Usage!;

        Assert.Equal(1203, usage.PromptTokens);
        Assert.Equal(88, usage.ResponseTokens);
        Assert.Equal(1291, usage.TotalTokens);
        Assert.Equal(31, usage.ThoughtsTokens);
        Assert.Equal([new ModelModalityTokens("TEXT", 1202), new ModelModalityTokens("AUDIO", 1)], usage.PromptByModality);
        Assert.Equal([new ModelModalityTokens("TEXT", 19), new ModelModalityTokens("AUDIO", 69)], usage.ResponseByModality);
    }

    [Fact]
    public void Vertex_usage_maps_candidates_tokens_to_the_same_model()
    {
        var usage = Parse(GeminiGolden.Bytes("server-turnComplete-usage-vertex.json")).Usage!;
        Assert.Equal(27, usage.PromptTokens);
        Assert.Equal(64, usage.ResponseTokens);
        Assert.Equal(91, usage.TotalTokens);
        Assert.Equal([new ModelModalityTokens("TEXT", 10), new ModelModalityTokens("AUDIO", 54)], usage.ResponseByModality);

        var zero = Parse(GeminiGolden.Bytes("server-turnComplete-usage-vertex-zero-audio.json")).Usage!;
        Assert.Equal([new ModelModalityTokens("TEXT", 4), new ModelModalityTokens("AUDIO", 0)], zero.ResponseByModality);
    }

    [Fact]
    public void Usage_rides_with_turn_complete()
    {
        var message = Parse(GeminiGolden.Bytes("server-turnComplete-usage-devapi-3x.json"));
        Assert.True(message.TurnComplete);
        Assert.Equal(611, message.Usage!.PromptTokens);
        Assert.Equal(58, message.Usage.ResponseTokens);
    }

    [Fact]
    public void Voice_activity_signals()
    {
        var start = Parse(GeminiGolden.Bytes("server-voiceActivity-start-devapi-3x.json"));
        Assert.Equal("ACTIVITY_START", start.VoiceActivityType);
        Assert.Equal(TimeSpan.FromMilliseconds(1240), start.VoiceActivityOffset);
        Assert.Equal("ACTIVITY_END", Parse(GeminiGolden.Bytes("server-voiceActivity-end-devapi-3x.json")).VoiceActivityType);
    }

    [Fact]
    public void Escaped_and_url_safe_base64_and_unknown_fields_are_handled()
    {
        var pcm = new byte[] { 0xfb, 0xff, 0xfe, 0x3e, 0x00, 0x01 };
        var standard = Convert.ToBase64String(pcm).Replace("/", "\\/", StringComparison.Ordinal);
        var urlSafe = Convert.ToBase64String(pcm).Replace('+', '-').Replace('/', '_');
        var json = $$$"""
            {"serverContent": {"modelTurn": {"parts": [
               {"inlineData": {"data": "{{{standard}}}", "mimeType": "audio/pcm;rate=16000"}},
               {"inlineData": {"mimeType": "audio/pcm", "data": "{{{urlSafe}}}"}}]},
             "interimInputTranscription": {"text": "x"}},
             "somethingNew": {"a": [1, 2]}}
            """;

        var message = Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(2, message.Audio.Count);
        Assert.Equal(16_000, message.Audio[0].SampleRate);
        Assert.Equal(pcm, message.Audio[0].Buffer.AsSpan(0, message.Audio[0].Length).ToArray());
        Assert.Equal(pcm, message.Audio[1].Buffer.AsSpan(0, message.Audio[1].Length).ToArray());
        Assert.Equal(["serverContent.interimInputTranscription", "somethingNew"], message.IgnoredFields);
        message.Reset();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"serverContent": 5}""")]
    [InlineData("""{"serverContent": {"modelTurn": {"parts": [{"inlineData": {"data": "%%%"}}]}}}""")]
    [InlineData("""{"toolCall": {"functionCalls": [{"args": {}}]}}""")]
    [InlineData("""{"serverContent": {"turnComplete": true""")]
    public void Malformed_messages_throw_a_protocol_error(string json) =>
        Assert.Throws<GeminiProtocolException>(() => Parse(Encoding.UTF8.GetBytes(json)));

    private static GeminiServerMessage Parse(byte[] utf8)
    {
        var message = new GeminiServerMessage();
        GeminiServerMessageParser.Parse(utf8, message);
        return message;
    }

    private static string Summary(GeminiServerMessage m) => string.Join("|",
        m.IsEmpty, m.SetupComplete, m.SessionId, m.HasServerContent, string.Join(",", m.Audio.Select(a => $"{a.Length}@{a.SampleRate}:{Convert.ToBase64String(a.Buffer, 0, a.Length)}")),
        string.Join(",", m.Texts), m.OtherParts, m.GenerationComplete, m.TurnComplete, m.Interrupted, m.WaitingForInput, m.TurnCompleteReason,
        m.InputTranscription, m.OutputTranscription, string.Join(",", m.FunctionCalls.Select(c => $"{c.Id}:{c.Name}:{c.Args.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)}")),
        string.Join(",", m.CancelledCallIds), m.GoAwayTimeLeft, m.NewHandle, m.Resumable, m.Usage?.TotalTokens, m.VoiceActivityType, m.VoiceActivityOffset);
}
