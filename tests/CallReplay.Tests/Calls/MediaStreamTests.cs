using System.Net.WebSockets;
using System.Text.Json;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.CallReplay.Recordings;
using PhoneAgent.CallReplay.Tests.Testing;
using static PhoneAgent.CallReplay.Tests.Testing.ScriptedServer;

namespace PhoneAgent.CallReplay.Tests.Calls;

/// <summary>The stream as Twilio runs it, against a scripted server, on a fake clock where timing matters.</summary>
public sealed class MediaStreamTests
{
    private static readonly TimeSpan Ms1 = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Connected_and_start_then_media_frames_on_an_absolute_20ms_clock_then_stop()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response><Hangup/></Response>");
        var audio = Audio.Bursts(1000, 440, (100, 400));
        h.Place(RecordedCall.FromMuLaw("t", audio), fakeClock: true);
        var socket = await h.Server.NextSocketAsync();
        var start = await socket.StartAsync();

        var connected = socket.All[0];
        Assert.Equal(("connected", "Call", "1.0.0"), (Str(connected, "event"), Str(connected, "protocol"), Str(connected, "version")));
        Assert.Equal("1", Str(start, "sequenceNumber"));
        var s = start.GetProperty("start");
        Assert.Equal(socket.StreamSid, Str(s, "streamSid"));
        Assert.StartsWith("MZ", socket.StreamSid, StringComparison.Ordinal);
        Assert.Equal(34, socket.StreamSid!.Length);
        Assert.Equal((h.CallSid, "AC00000000000000000000000000000000"), (Str(s, "callSid"), Str(s, "accountSid")));
        Assert.Equal("""["inbound"]""", s.GetProperty("tracks").GetRawText());
        Assert.Equal("""{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}""", s.GetProperty("mediaFormat").GetRawText());
        Assert.Equal("""{"token":"t-1","profile":"support"}""", s.GetProperty("customParameters").GetRawText());

        h.Clock!.Advance(TimeSpan.FromMilliseconds(19));
        await Task.Delay(50);
        Assert.Equal(0, socket.Count("media"));
        h.Clock.Advance(Ms1);
        var first = await socket.NextAsync("media");
        Assert.Equal(("2", "inbound", "1", "20"), (Str(first, "sequenceNumber"), Str(first.GetProperty("media"), "track"), Str(first.GetProperty("media"), "chunk"), Str(first.GetProperty("media"), "timestamp")));
        Assert.Equal(audio[..160], first.GetProperty("media").GetProperty("payload").GetBytesFromBase64());
        Assert.Equal(socket.StreamSid, Str(first, "streamSid"));

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(80));
        await socket.WaitForCountAsync("media", 5);
        var media = socket.All.Where(m => Str(m, "event") == "media").ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], media.Select(m => Str(m.GetProperty("media"), "chunk")));
        Assert.Equal(["20", "40", "60", "80", "100"], media.Select(m => Str(m.GetProperty("media"), "timestamp")));
        Assert.Equal(audio[640..800], media[4].GetProperty("media").GetProperty("payload").GetBytesFromBase64());

        var result = await h.FinishAsync();
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        var all = socket.All;
        var stop = all[^1];
        Assert.Equal("stop", Str(stop, "event"));
        Assert.Equal(int.Parse(Str(all[^2], "sequenceNumber"), System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(Str(stop, "sequenceNumber"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((h.CallSid, "AC00000000000000000000000000000000"), (Str(stop.GetProperty("stop"), "callSid"), Str(stop.GetProperty("stop"), "accountSid")));
        Assert.True(socket.ClosedByCaller);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal(StreamEndedBy.CallerHangup, Assert.Single(result.Streams).EndedBy);
        Assert.DoesNotContain(h.Server.Requests, r => r.Path == "/connect-action"); // the caller hung up: no TwiML after the stream
        // The recording (1 s) then silence frames until the caller hangs up 100 ms after it.
        var sent = all.Count(m => Str(m, "event") == "media");
        Assert.Equal(54, sent); // frames due at 20 … 1080 ms; at 1100 ms the agent has been quiet for 100 ms since the recording ended
        Assert.Equal(sent, result.Measurements.MediaFramesSent);
    }

    [Fact]
    public async Task A_mark_comes_back_when_the_audio_before_it_has_played()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await s.SendMediaAsync(Audio.Marker(100));
            await s.SendMarkAsync("m1");
            await s.DrainAsync();
        };
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(2000)), fakeClock: true);
        var socket = await h.Server.NextSocketAsync();
        await h.WaitForEventAsync(TimelineKinds.MarkReceived);

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(99), TimeSpan.FromMilliseconds(33));
        await Task.Delay(50);
        Assert.Equal(0, socket.Count("mark"));

        h.Clock!.Advance(Ms1);
        var echo = await socket.NextAsync("mark");
        Assert.Equal("m1", Str(echo.GetProperty("mark"), "name"));
        Assert.Equal(socket.StreamSid, Str(echo, "streamSid"));
        Assert.Equal(["event", "sequenceNumber", "streamSid", "mark"], echo.EnumerateObject().Select(p => p.Name));

        var result = await h.FinishAsync();
        Assert.Equal(1, result.Measurements.MarksEchoedPlayed);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Assert.Single(result.AgentTurns).Heard);
        Assert.All(result.Heard.Span[..800].ToArray(), b => Assert.Equal(0x80, b)); // heard from the stream's start
        Assert.Equal(0xFF, result.Heard.Span[800]);
    }

    [Fact]
    public async Task Clear_drops_unplayed_audio_and_echoes_the_pending_marks_at_once()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            for (var i = 1; i <= 5; i++)
            {
                await s.SendMediaAsync(Audio.Marker(20));
                await s.SendMarkAsync($"t1.f{i}");
            }

            await s.DrainAsync();
        };
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(1000)), fakeClock: true);
        var socket = await h.Server.NextSocketAsync();
        await h.WaitForEventAsync(TimelineKinds.MarkReceived, 5);
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10));
        await socket.WaitForCountAsync("mark", 2);
        Assert.Equal(2, socket.Count("mark"));

        await socket.SendClearAsync(); // at 50 ms: m3 is half played, m4 and m5 not at all
        await socket.WaitForCountAsync("mark", 5);
        Assert.Equal(["t1.f1", "t1.f2", "t1.f3", "t1.f4", "t1.f5"], socket.All.Where(m => Str(m, "event") == "mark").Select(m => Str(m.GetProperty("mark"), "name")));

        var result = await h.FinishAsync();
        Assert.Equal((2, 3, 1), (result.Measurements.MarksEchoedPlayed, result.Measurements.MarksEchoedCleared, result.Measurements.Clears));
        var turn = Assert.Single(result.AgentTurns);
        Assert.True(turn.Interrupted);
        Assert.Equal(TimeSpan.FromMilliseconds(50), turn.Heard);
        Assert.Equal(1, turn.Tag);
        Assert.Contains(h.Events, e => e.Kind == TimelineKinds.AgentInterrupted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_before_a_server_initiated_close_is_an_option(bool stopBeforeClose)
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response><Hangup/></Response>");
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await s.CloseAsync();
        };
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(5000)), o => o with { Behavior = o.Behavior with { StopBeforeServerClose = stopBeforeClose } });
        var socket = await h.Server.NextSocketAsync();
        var result = await h.Call.WaitAsync(TimeSpan.FromSeconds(10));
        await socket.Completion;

        Assert.Equal(stopBeforeClose, socket.All.Any(m => Str(m, "event") == "stop"));
        Assert.False(socket.ClosedByCaller);
        var stream = Assert.Single(result.Streams);
        Assert.Equal((StreamEndedBy.Server, stopBeforeClose, WebSocketCloseStatus.NormalClosure), (stream.EndedBy, stream.StopSent, stream.CloseStatus));
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason); // <Connect action> answered <Hangup/>
        var action = await h.Server.WaitForRequestAsync("/connect-action");
        Assert.Equal("in-progress", action.Form["CallStatus"]);
    }

    [Fact]
    public async Task A_socket_aborted_during_a_send_ends_the_stream_as_broken_and_the_call_goes_on()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response><Hangup/></Response>");
        h.Place(
            RecordedCall.FromMuLaw("t", Audio.Silence(2000)),
            o => o with { WebSocketConnector = (url, signature, token) => AbortingWebSocket.ConnectAsync(url, signature, abortOnSend: 5, token) });

        var result = await h.Call.WaitAsync(TimeSpan.FromSeconds(10));

        var stream = Assert.Single(result.Streams);
        Assert.Equal(StreamEndedBy.SocketError, stream.EndedBy);
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason); // <Connect action> answered <Hangup/>
        Assert.Equal(2, result.Measurements.MediaFramesSent); // connected, start, two frames; the fifth send broke
    }

    [Fact]
    public async Task Drop_silence_sends_no_frames_during_pauses_and_keeps_chunks_consecutive()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        var utterances = new[] { new Utterance(TimeSpan.Zero, TimeSpan.FromMilliseconds(100), "a"), new Utterance(TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(1000), "b") };
        h.Place(RecordedCall.FromMuLaw("t", Audio.Bursts(1000, 440, (0, 100), (900, 1000)), utterances), o => o with { Behavior = o.Behavior with { DropSilence = true } }, fakeClock: true);
        var socket = await h.Server.NextSocketAsync();
        var result = await h.FinishAsync(TimeSpan.FromMilliseconds(20));
        await socket.Completion;

        var media = socket.All.Where(m => Str(m, "event") == "media").Select(m => m.GetProperty("media")).ToList();
        var chunks = media.Select(m => int.Parse(Str(m, "chunk"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var stamps = media.Select(m => int.Parse(Str(m, "timestamp"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, chunks.Count), chunks);
        Assert.Equal(300, stamps[14]);                      // 0–300 ms: speech + 200 ms hangover
        Assert.Equal(880, stamps[15]);                      // then nothing until 40 ms before the next utterance
        Assert.DoesNotContain(stamps, t => t is > 300 and < 880);
        Assert.True(result.Measurements.MediaFramesSuppressed > 20);
    }

    [Fact]
    public async Task Frame_length_is_an_option()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Place(RecordedCall.FromMuLaw("t", Audio.Bursts(400, 440, (0, 400))), o => o with { Behavior = o.Behavior with { FrameDuration = TimeSpan.FromMilliseconds(40) } }, fakeClock: true);
        var socket = await h.Server.NextSocketAsync();
        await h.FinishAsync();
        await socket.Completion;
        var media = socket.All.Where(m => Str(m, "event") == "media").Select(m => m.GetProperty("media")).ToList();
        Assert.All(media, m => Assert.Equal(320, m.GetProperty("payload").GetBytesFromBase64().Length));
        Assert.Equal(["40", "80", "120"], media.Take(3).Select(m => Str(m, "timestamp")));
    }

    [Fact]
    public async Task Numbers_can_be_sent_as_json_numbers()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(100)), o => o with { Behavior = o.Behavior with { NumbersAsStrings = false } });
        var socket = await h.Server.NextSocketAsync();
        var media = await socket.NextAsync("media");
        Assert.Equal(JsonValueKind.Number, media.GetProperty("sequenceNumber").ValueKind);
        Assert.Equal(JsonValueKind.Number, media.GetProperty("media").GetProperty("chunk").ValueKind);
        await h.Call.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Invalid_messages_are_ignored_with_twilios_warnings_once_per_stream()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(r.Path == "/voice" ? h.Server.ConnectTwiml() : "<Response/>");
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await s.SendAsync("{not json");
            await s.SendAsync("""{"event":"media","streamSid":"MZwrong","media":{"payload":"gICA"}}""");
            await s.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
            await s.SendMediaAsync(Audio.Marker(20));
            await s.SendMarkAsync("ok");
            await s.NextAsync("mark");
            await s.CloseAsync();
        };
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(10_000)));
        var socket = await h.Server.NextSocketAsync();
        var result = await h.Call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([31951, 31950], result.Warnings.Select(w => w.Code));
        var stream = Assert.Single(result.Streams);
        Assert.Equal((2, 1), (stream.InvalidMessages, stream.BinaryMessages));
        Assert.Equal(TimeSpan.FromMilliseconds(20), Assert.Single(result.AgentTurns).Received); // only the valid media played
        Assert.Equal(1, socket.Count("mark"));
    }

    [Fact]
    public async Task Dtmf_is_sent_when_the_recording_reaches_it()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(300)), o => o with { Dtmf = [new DtmfPress('5', TimeSpan.FromMilliseconds(110))] }, fakeClock: true);
        var socket = await h.Server.NextSocketAsync();
        await h.FinishAsync(TimeSpan.FromMilliseconds(10));
        await socket.Completion;
        var events = socket.All.Select(m => Str(m, "event") == "media" ? "m" + Str(m.GetProperty("media"), "timestamp") : Str(m, "event")).ToList();
        var dtmf = events.IndexOf("dtmf");
        Assert.Equal("m100", events[dtmf - 1]);
        Assert.Equal("m120", events[dtmf + 1]);
        var message = socket.All[dtmf];
        Assert.Equal(("inbound_track", "5"), (Str(message.GetProperty("dtmf"), "track"), Str(message.GetProperty("dtmf"), "digit")));
    }

    [Fact]
    public async Task Each_heard_frame_is_attributed_to_its_turn_from_the_marks()
    {
        await using var h = await CallHarness.StartServerAsync();
        h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
        h.Server.Media = async s =>
        {
            await s.StartAsync();
            await s.SendMediaAsync(Audio.Marker(100, 0x81));
            await s.SendMarkAsync("t1.f5.end");
            await s.SendMediaAsync(Audio.Marker(60, 0x82));
            await s.SendMarkAsync("t2.f3.end");
            await s.DrainAsync();
        };
        h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(500)), fakeClock: true);
        await h.WaitForEventAsync(TimelineKinds.MarkReceived, 2);
        var result = await h.FinishAsync(TimeSpan.FromMilliseconds(10));

        Assert.Equal([1, 2], result.AgentTurns.Select(t => t.Tag!.Value));
        Assert.Equal(Enumerable.Repeat(1, 5).Concat(Enumerable.Repeat(2, 3)), result.HeardFrames.Select(f => f.Tag!.Value));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), result.HeardFrames.Select(f => f.Slot));
        Assert.Equal(0x82, result.Heard.Span[900]);
    }

    [Fact]
    public async Task The_largest_outbound_lead_is_measured_and_a_cap_drops_audio_beyond_it()
    {
        foreach (var cap in new TimeSpan?[] { null, TimeSpan.FromMilliseconds(300) })
        {
            await using var h = await CallHarness.StartServerAsync();
            h.Server.Respond = r => Xml(h.Server.ConnectTwiml());
            h.Server.Media = async s =>
            {
                await s.StartAsync();
                await s.SendMediaAsync(Audio.Marker(1000));
                await s.DrainAsync();
            };
            h.Place(RecordedCall.FromMuLaw("t", Audio.Silence(200)), o => o with { Behavior = o.Behavior with { OutboundBufferCap = cap } }, fakeClock: true);
            await h.WaitForEventAsync(TimelineKinds.AgentAudioStart);
            var result = await h.FinishAsync();
            Assert.Equal(cap ?? TimeSpan.FromSeconds(1), result.Measurements.MaxOutboundBuffer);
            Assert.Equal(cap is null ? 0 : 1, result.Warnings.Count(w => w.Message.Contains("buffer cap", StringComparison.Ordinal)));
        }
    }

    internal static string Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : e.GetProperty(name).GetRawText();
}
