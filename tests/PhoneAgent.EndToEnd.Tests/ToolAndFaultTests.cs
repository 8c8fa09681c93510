using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using PhoneAgent.Tools;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

[Collection(RealTimeCalls.Name)]
public sealed class ToolAndFaultTests(ITestOutputHelper output)
{
    private const string ThreeTurns = """
        { "name": "three-turns", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "first", "reply": { "clip": "done" } },
          { "caller": "second", "reply": { "clip": "okay" } } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    [Fact]
    public async Task A_tool_round_trip_then_end_call_hangs_up_after_the_goodbyes_last_frame()
    {
        await using var e2e = await EndToEndCall.StartAsync(
            """
            { "name": "tools", "turns": [
              { "reply": { "clip": "okay" } },
              { "caller": "status please", "reply": { "clip": "okay" },
                "toolCalls": [ { "name": "lookup_parcel", "args": { "parcelId": "P17" } } ],
                "afterToolResponse": { "text": "{output.status}" } },
              { "caller": "bye", "reply": { "clip": "goodbye" },
                "toolCalls": [ { "name": "end_call", "args": { "reason": "caller is done" } } ] } ] }
            """,
            services: s => s.AddTools(t => t.AddTool<LookupParcelTool>()),
            profileJson: EndToEndCall.ProfileWithTools("end_call", "lookup_parcel"));
        var recording = CallerAudio.Speech(TimeSpan.FromSeconds(7), (1.2, 1.9, "status please"), (5.4, 6.0, "bye"));

        var result = await e2e.CallAsync(recording, o => o with { HangupAfter = null });
        Log(result);

        // The tool's answer was spoken ("All right, that is done." is a clip: turn 2 carries on after it).
        Assert.Contains("toolResponse", e2e.EmulatorLog(), StringComparison.Ordinal);
        Assert.Contains("All right, that is done.", e2e.EmulatorLog(), StringComparison.Ordinal);

        // end_call: the server closed the stream after the goodbye's final mark; connect-action hung up.
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
        var goodbye = result.AgentTurns[^1];
        Assert.Equal(3, EndToEndCall.TagOf(result, goodbye.Start, goodbye.End));
        Assert.False(goodbye.CutByStreamEnd);
        Assert.True(goodbye.Heard >= TimeSpan.FromMilliseconds(2000), $"heard {goodbye.Heard}");
        var call = await e2e.RecordAsync(result.CallSid);
        Assert.IsType<NextAction.Hangup>(call!.CurrentStream!.NextAction);
    }

    [Fact]
    public async Task GoAway_mid_call_hands_over_without_the_caller_noticing()
    {
        await using var e2e = await EndToEndCall.StartAsync(ThreeTurns.Replace("\"otherwise\"", "\"goAway\": { \"afterSeconds\": 1.0, \"timeLeftSeconds\": 6 }, \"otherwise\"", StringComparison.Ordinal));
        // goAway comes 1 s after setupComplete; the hand-over follows the greeting's turnComplete. The caller speaks
        // after it (speech that straddles the hand-over is the model client's to carry; see the bridge notes).
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(8), (2.8, 3.4, "first"), (6.6, 7.2, "second")));
        Log(result);

        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal([1, 2, 3], EndToEndCall.HeardTags(result));
        Assert.True(e2e.Emulator.Sessions.Count >= 2, e2e.EmulatorLog());
        Assert.NotNull(e2e.Emulator.Sessions[1].ResumedWithHandle);
    }

    [Fact]
    public async Task An_abrupt_model_close_is_resumed_and_the_call_goes_on()
    {
        await using var e2e = await EndToEndCall.StartAsync(ThreeTurns.Replace("\"otherwise\"", "\"faults\": [ { \"kind\": \"close\", \"at\": \"midReply\", \"turn\": 2, \"code\": 1011 } ], \"otherwise\"", StringComparison.Ordinal));
        var result = await e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(6), (1.2, 1.9, "first"), (4.2, 4.9, "second")));
        Log(result);

        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.True(e2e.Emulator.Sessions.Count >= 2, e2e.EmulatorLog());
        Assert.NotNull(e2e.Emulator.Sessions[^1].ResumedWithHandle);
        // The resumed model is where its handle was (after turn 1, since the cut answer was not resumable): it answers
        // the caller's next utterance as its turn 2 again, and the caller hears it.
        Assert.Equal(3, result.AgentTurns.Count);
        Assert.Equal(2, EndToEndCall.HeardTags(result)[^1]);
        Assert.True(e2e.Measurements.Sum("phoneagent.bridge.model.reconnects") >= 1);
    }

    [Fact]
    public async Task A_model_lost_for_good_sends_the_caller_to_the_fallback()
    {
        await using var e2e = await EndToEndCall.StartAsync(ThreeTurns);
        var call = e2e.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(6), (1.2, 1.9, "first")));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await e2e.Emulator.DisposeAsync(); // 1011 to the open session, then nothing listens: reconnecting is given up
        var result = await call;
        Log(result);

        Assert.Contains(result.Verbs, v => v.StartsWith("Say", StringComparison.Ordinal));
        Assert.Contains(result.Verbs, v => v.StartsWith("Enqueue", StringComparison.Ordinal));
        var record = await e2e.RecordAsync(result.CallSid);
        Assert.IsType<NextAction.Fallback>(record!.Streams[0].NextAction);
    }

    [Fact]
    public async Task With_silence_dropped_by_twilio_the_agent_still_answers()
    {
        await using var e2e = await EndToEndCall.StartAsync(ThreeTurns);
        var result = await e2e.CallAsync(
            CallerAudio.Speech(TimeSpan.FromSeconds(4), (1.2, 1.9, "first")),
            o => o with { Behavior = o.Behavior with { DropSilence = true } });
        Log(result);

        Assert.True(result.Streams[0].MediaFramesSuppressed > 50);
        Assert.Equal([1, 2], EndToEndCall.HeardTags(result));
    }

    private void Log(CallResult result)
    {
        output.WriteLine($"end: {result.EndReason}; verbs: {string.Join(", ", result.Verbs)}");
        if (result.AgentTurns.Count > 0)
        {
            var first = result.AgentTurns[0];
            var tags = new List<string>();
            for (var t = first.Start - TimeSpan.FromMilliseconds(100); t < first.End + TimeSpan.FromMilliseconds(100); t += TimeSpan.FromMilliseconds(20))
            {
                tags.Add(EndToEndCall.TagOf(result, t, t + TimeSpan.FromMilliseconds(20))?.ToString() ?? "-");
            }

            output.WriteLine("turn 1 frames: " + string.Join(' ', tags));
        }

        output.WriteLine($"turns: {string.Join(", ", result.AgentTurns.Select(t => $"{t.Number}@{t.Start.TotalSeconds:0.00}-{t.End.TotalSeconds:0.00} heard {t.Heard.TotalMilliseconds:0} ms{(t.Interrupted ? " cut" : "")}"))}");
    }

    /// <summary>A test tool for the round trip (not one of the shipped support tools): answers a status the emulator says with a clip.</summary>
    private sealed class LookupParcelTool : IToolHandler
    {
        public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
            "lookup_parcel", "Looks a parcel up by its number.", """{"type":"object","properties":{"parcelId":{"type":"string"}},"required":["parcelId"]}""");

        public ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.Success(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["status"] = "All right, that is done." })));
    }
}
