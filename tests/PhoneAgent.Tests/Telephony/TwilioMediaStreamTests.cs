using System.Net.WebSockets;
using PhoneAgent.Calls;
using PhoneAgent.Telephony.MediaStreams;
using PhoneAgent.Tests.Telephony.Testing;

namespace PhoneAgent.Tests.Telephony;

/// <summary>The transport on an in-memory socket: whole frames, marks, barge-in ordering, bad input.</summary>
public sealed class TwilioMediaStreamTests
{
    [Fact]
    public async Task Audio_goes_out_as_whole_frames_and_the_turn_end_is_padded_with_silence_then_marked()
    {
        await using var h = new StreamHarness();
        await h.StartAsync();

        Assert.True(h.Stream.EnqueueAudio(1, Enumerable.Repeat((byte)0x01, 250).ToArray()));
        Assert.True(h.Stream.EndTurn(1));
        var messages = await h.ReadUntilAsync(m => m.MarkName?.EndsWith(".end", StringComparison.Ordinal) == true);

        Assert.Equal(["media", "mark", "media", "mark"], messages.Select(m => m.Event));
        Assert.All(messages.Where(m => m.Payload is not null), m => Assert.Equal(160, m.Payload!.Length));
        Assert.Equal("t1.f1", messages[1].MarkName);
        Assert.Equal(Enumerable.Repeat((byte)0x01, 90).Concat(Enumerable.Repeat((byte)0xFF, 70)), messages[2].Payload!);
        Assert.Equal("t1.f2.end", messages[3].MarkName);
    }

    [Fact]
    public async Task Barge_in_discards_50_queued_frames_then_clears_and_no_old_frame_follows()
    {
        // A small pipe: the writer blocks after a couple of messages while the test does not read.
        await using var h = new StreamHarness(pauseAt: 1024);
        await h.StartAsync();
        Assert.True(h.Stream.EnqueueAudio(1, Enumerable.Repeat((byte)0x11, 50 * 160).ToArray()));
        await Task.Delay(100, h.Token);

        var cleared = h.Stream.ClearAsync(h.Token);
        Assert.False(h.Stream.EnqueueAudio(1, new byte[160]));
        Assert.True(h.Stream.EnqueueAudio(2, Enumerable.Repeat((byte)0x22, 3 * 160).ToArray()));
        Assert.True(h.Stream.EndTurn(2));
        var messages = await h.ReadUntilAsync(m => m.MarkName == "t2.f3.end");
        await cleared;

        var clear = messages.FindIndex(m => m.Event == "clear");
        Assert.True(clear >= 0);
        var oldFramesWritten = messages.Take(clear).Count(m => m.Payload?[0] == 0x11);
        Assert.InRange(oldFramesWritten, 0, 10);
        Assert.DoesNotContain(messages.Skip(clear), m => m.Payload?[0] == 0x11 || m.MarkName?.StartsWith("t1", StringComparison.Ordinal) == true);
        Assert.Equal(3, messages.Skip(clear).Count(m => m.Payload?[0] == 0x22));
        Assert.Equal(50 - oldFramesWritten, h.Metrics.Sum("phoneagent.twilio.stream.frames_dropped", "reason", "cleared"));
    }

    [Fact]
    public async Task Marks_echoed_before_clear_count_as_heard_and_those_after_as_cleared()
    {
        await using var h = new StreamHarness();
        await h.StartAsync();
        Assert.IsType<MediaStreamEvent.Started>(await h.NextEventAsync());
        h.Stream.EnqueueAudio(1, new byte[10 * 160]);
        h.Stream.EnqueueAudio(1, new byte[10 * 160]);
        h.Stream.EndTurn(1);
        var sent = await h.ReadUntilAsync(m => m.MarkName == "t1.f20.end");
        Assert.Equal(["t1.f10", "t1.f20", "t1.f20.end"], sent.Where(m => m.MarkName is not null).Select(m => m.MarkName));
        var turnDone = h.Stream.Playback.WhenTurnPlayedAsync(1, h.Token);

        await h.EchoMarkAsync("t1.f10");
        Assert.Equal(new MediaStreamEvent.MarkEchoed(new PlaybackMark(1, 10, false), Played: true), await h.NextEventAsync());

        await h.Stream.ClearAsync(h.Token);
        Assert.Equal("clear", (await h.ReadAsync())!.Event);
        await h.EchoMarkAsync("t1.f20");
        await h.EchoMarkAsync("t1.f20.end");
        Assert.False(((MediaStreamEvent.MarkEchoed)await h.NextEventAsync()).Played);
        Assert.False(((MediaStreamEvent.MarkEchoed)await h.NextEventAsync()).Played);

        Assert.Equal(new TurnPlayback(1, 20, 10, Finished: false, Cleared: true), h.Stream.Playback.GetTurn(1));
        Assert.False(await turnDone);
    }

    [Fact]
    public async Task Bad_input_is_counted_and_the_stream_keeps_going()
    {
        await using var h = new StreamHarness();
        await h.SendMediaAsync(new byte[160]); // before start
        await h.StartAsync();
        var random = new byte[300];
        new Random(42).NextBytes(random);
        await h.Client.SendAsync(random, WebSocketMessageType.Binary, true, h.Token);
        var randomText = random.Select(b => (byte)(' ' + (b % 95))).ToArray(); // printable ASCII: valid UTF-8, not JSON
        await h.Client.SendAsync(randomText, WebSocketMessageType.Text, true, h.Token);
        await h.SendTextAsync("""{"event":"media","media":{"payload":"//""");
        await h.SendTextAsync("""{"event":"surprise"}""");
        await h.SendTextAsync($$"""{"event":"media","streamSid":"{{StreamHarness.StreamSid}}","media":{"payload":"%%%" } }""");
        await h.SendMediaAsync(Enumerable.Repeat((byte)0x42, 160).ToArray(), sequenceNumber: 100);
        await h.EchoMarkAsync("t9.f9");

        Assert.True(await h.Stream.CallerAudio.WaitToReadAsync(h.Token));
        Assert.True(h.Stream.CallerAudio.TryRead(out var frame));
        using (frame)
        {
            Assert.Equal(160, frame.Length);
            Assert.Equal(0x42, frame.MuLaw[0]);
        }

        await h.SendTextAsync("""{"event":"stop","sequenceNumber":"101","streamSid":"MZ0123456789abcdef0123456789abcdef","stop":{"accountSid":"AC1","callSid":"CA1"}}""");
        await h.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", h.Token);
        Assert.Equal(StreamEndReason.Stopped, await h.Stream.Completion);
        foreach (var kind in new[] { "unexpected-message", "binary-frame", "malformed-json", "unknown-event", "bad-base64", "sequence-gap", "unknown-mark" })
        {
            Assert.True(h.Metrics.Sum("phoneagent.twilio.stream.protocol_issues", "kind", kind) >= 1, kind);
        }
    }

    [Fact]
    public async Task An_oversized_message_closes_the_stream_with_1009()
    {
        await using var h = new StreamHarness(maxMessageBytes: 4096);
        await h.StartAsync();

        await h.SendTextAsync("{\"event\":\"media\",\"media\":{\"payload\":\"" + new string('A', 10_000) + "\"}}");

        Assert.Null(await h.ReadAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, h.Client.CloseStatus);
        Assert.Equal(StreamEndReason.MessageTooBig, await h.Stream.Completion);
    }

    [Fact]
    public async Task Caller_audio_keeps_the_newest_frames_when_the_reader_falls_behind()
    {
        await using var h = new StreamHarness();
        await h.StartAsync();
        for (var i = 0; i < TwilioMediaStream.CallerAudioCapacity + 10; i++)
        {
            await h.SendMediaAsync(Enumerable.Repeat((byte)i, 160).ToArray());
        }

        await WaitUntilAsync(() => h.Metrics.Sum("phoneagent.twilio.stream.frames", "direction", "in") == TwilioMediaStream.CallerAudioCapacity + 10);

        var first = h.Stream.CallerAudio.TryRead(out var oldest) ? oldest.MuLaw[0] : -1;
        oldest.Dispose();
        Assert.Equal(10, first);
        Assert.Equal(10, h.Metrics.Sum("phoneagent.twilio.stream.frames_dropped", "direction", "in"));
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_ends_the_stream_without_crashing()
    {
        await using var h = new StreamHarness();
        await h.StartAsync();

        await h.Client.SendAsync(new byte[] { 0xC3, 0x28, 0xFF, 0xFE }, WebSocketMessageType.Text, true, h.Token);

        // The WebSocket layer itself refuses invalid UTF-8 in a text frame (close 1007): the stream ends, nothing throws.
        Assert.Contains(await h.Stream.Completion, new[] { StreamEndReason.SocketLost, StreamEndReason.ClosedByTwilio });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
