using System.Text.RegularExpressions;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

[Collection(RealTimeCalls.Name)]
public sealed partial class ConversationTests(ITestOutputHelper output)
{
    private const string Disclosure = "You are speaking with an automated assistant.";

    [Fact]
    public async Task Greeting_with_disclosure_then_a_multi_turn_conversation_with_dtmf_and_a_caller_hang_up()
    {
        await using var e2e = await EndToEndCall.StartAsync("""
            { "name": "multi-turn", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "first question", "reply": { "clip": "done" } },
              { "caller": "second question", "reply": { "clip": "okay" } },
              { "reply": { "clip": "done" } } ],
              "otherwise": [ { "clip": "okay" } ] }
            """);
        var recording = CallerAudio.Speech(TimeSpan.FromSeconds(8), (1.2, 1.9, "first question"), (4.6, 5.3, "second question"));

        var result = await e2e.CallAsync(recording, o => o with { Dtmf = [new DtmfPress('5', TimeSpan.FromSeconds(7))] });
        Report(e2e, result);

        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal([1, 2, 3, 4], EndToEndCall.HeardTags(result));

        // The greeting: asked for with the disclosure, heard at once (reply latency 200 ms; slack 1.3 s for set-up and CI noise).
        Assert.Contains(Disclosure, e2e.EmulatorLog(), StringComparison.Ordinal);
        var stream = Assert.Single(result.Streams);
        Assert.InRange(result.AgentTurns[0].Start - stream.Started, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));

        // The key press reached the model as text and was answered (tag 4).
        Assert.Contains("[the caller pressed 5]", e2e.EmulatorLog(), StringComparison.Ordinal);

        // The caller hung up: Twilio's stop ended the stream; the transcript is on the call record.
        var call = await e2e.RecordAsync(result.CallSid);
        Assert.Equal(StreamEndReason.Stopped, call!.CurrentStream!.EndReason);
        Assert.Contains(call.Transcript, t => t.Kind == TranscriptEntryKind.Dtmf && t.Text == "5");
        Assert.Contains(call.Transcript, t => t.Speaker == "caller" && t.Text.Contains("first question", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Barge_in_clears_the_cut_turn_tells_the_model_what_was_heard_and_the_next_turn_plays()
    {
        // Turn 1 is the 10-word order-status clip (3.2 s). It starts about 0.2 s into the stream (reply latency) and the
        // emulator's voice activity commits the barge-in 100 ms into the caller's speech, so speech at 1.45 s cuts it
        // after about 40 % (1.28 s) of its audio. Slack: marks come every ~62 ms chunk; the words allow ±1.
        await using var e2e = await EndToEndCall.StartAsync("""
            { "name": "barge-in", "turns": [
              { "reply": { "clip": "order-status" } },
              { "caller": "wait a second", "reply": { "clip": "okay" } } ],
              "otherwise": [ { "clip": "done" } ] }
            """);
        await e2e.WarmUpAsync();
        var recording = CallerAudio.Speech(TimeSpan.FromSeconds(4), (1.45, 2.25, "wait a second"));

        var result = await e2e.CallAsync(recording);
        Report(e2e, result);

        // clear went out; after it, not one frame of the cut turn was heard.
        var clear = result.Timeline.First(t => t.Kind is TimelineKinds.Clear or TimelineKinds.AgentInterrupted).At;
        var cut = result.AgentTurns[0];
        Assert.True(cut.Interrupted);
        Assert.Equal(1, EndToEndCall.TagOf(result, cut.Start, cut.End));
        Assert.DoesNotContain(result.HeardFrames, f => f.AgentTurn == cut.Number && f.At > clear);

        // The next turn started and played (tag 2); the model did not answer the note (no third reply).
        Assert.Equal([1, 2], EndToEndCall.HeardTags(result));
        Assert.Equal(2, Assert.Single(e2e.Sessions).TurnCount);

        // The note: clientContent, role model, turnComplete false, with the first 4 ± 1 words of the reply.
        var log = e2e.EmulatorLog();
        var note = NotePattern().Match(log);
        Assert.True(note.Success, log);
        var words = note.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(words.Length, 3, 5);
        Assert.StartsWith(string.Join(' ', words), "Your order shipped yesterday and should arrive in three days.", StringComparison.Ordinal);
        output.WriteLine($"heard-text note: {note.Value}");

        var call = await e2e.RecordAsync(result.CallSid);
        Assert.Contains(call!.Transcript, t => t.Kind == TranscriptEntryKind.Interrupted && t.Text == string.Join(' ', words));
    }

    private void Report(EndToEndCall e2e, CallResult result)
    {
        output.WriteLine($"end: {result.EndReason}; turns: {string.Join(", ", result.AgentTurns.Select(t => $"{t.Number}@{t.Start.TotalSeconds:0.00}-{t.End.TotalSeconds:0.00}{(t.Interrupted ? " cut" : "")}"))}");
        foreach (var response in result.Measurements.Responses)
        {
            output.WriteLine($"end of speech → first audio (utterance {response.Utterance}): {response.Latency?.TotalMilliseconds:0} ms");
        }

        output.WriteLine(e2e.Measurements.Report());
    }

    [GeneratedRegex(@"\[interrupted: the caller heard only '([^']*)'\]")]
    private static partial Regex NotePattern();
}
