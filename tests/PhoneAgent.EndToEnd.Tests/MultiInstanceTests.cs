using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using BridgeCallAdmission = PhoneAgent.Bridge.BridgeCallAdmission;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using PhoneAgent.GeminiLiveEmulator;
using PhoneAgent.Telephony;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>
/// Several instances (README: "Several instances"): two PhoneAgents sharing one PostgreSQL database behind a balancer
/// that sends each of Twilio's requests where the test says. Every row of the per-call state table that is shared is
/// crossed here: the call record and its status events, stream tokens and their single use, <c>NextAction</c> (hang-up,
/// reconnect, transfer), the transfer's outcome and hand-off; the pre-warmed model session, which is not shared, is
/// released by the instance that made it, and the other instance connects fresh.
/// </summary>
[Collection(RealTimeCalls.Name)]
public sealed class MultiInstanceTests(SharedPostgresDatabase database, ITestOutputHelper output) : IClassFixture<SharedPostgresDatabase>
{
    private const string PrewarmTimeout = "00:00:01.500";

    /// <summary>
    /// Open all hours (the shipped profile switches to after-hours by the clock); no drain on dispose: an instance
    /// counts a call it admitted until the stream token expires when the stream went to the other one.
    /// </summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Gemini:PrewarmTimeout"] = PrewarmTimeout,
        ["PhoneAgent:BusinessHours"] = "AlwaysOpen",
        ["PhoneAgent:DrainTimeout"] = "00:00:00",
    };

    private const string HangUpScenario = """
        { "name": "hang-up", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "that is all", "reply": { "clip": "goodbye" },
            "toolCalls": [ { "name": "end_call", "args": { "reason": "caller is done" } } ] } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    private const string TwoTurns = """
        { "name": "two-turns", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "first", "reply": { "clip": "done" } } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    private const string TransferScenario = """
        { "name": "transfer", "turns": [
          { "reply": { "clip": "okay" } },
          { "caller": "a person please",
            "toolCalls": [ { "name": "connect_to_human", "args": { "reason": "caller asked for a person", "summary": "wants to talk about order A17" } } ],
            "afterToolResponse": { "text": "Putting you through now." } } ],
          "otherwise": [ { "clip": "okay" } ] }
        """;

    [SkippableFact]
    public async Task Webhook_on_A_stream_on_B_hang_up_decided_on_B_is_carried_out_by_A_and_status_callbacks_on_both_land_on_one_record()
    {
        await using var pair = await TwoInstances.StartAsync(database, HangUpScenario, Settings);
        pair.Route = (path, n) => path switch
        {
            TwilioPaths.Media => pair.B,
            TwilioPaths.CallStatus => n % 2 == 0 ? pair.B : pair.A,
            _ => pair.A,
        };

        var result = await pair.CallAsync(
            CallerAudio.Speech(TimeSpan.FromSeconds(4), (1.2, 1.9, "that is all")),
            o => o with { HangupAfter = null, CallStatusEvents = ["initiated", "ringing", "answered", "completed"] });
        Log(pair, result);

        // The caller heard the agent (B's model session) and the hang-up B decided, which A's connect-action carried out.
        Assert.Equal(["A"], pair.RoutedTo(TwilioPaths.Voice));
        Assert.Equal(["B"], pair.RoutedTo(TwilioPaths.Media));
        Assert.Equal(["A"], pair.RoutedTo(TwilioPaths.ConnectAction));
        Assert.Equal(CallEndReason.TwimlHangup, result.EndReason);
        Assert.Equal([1, 2], EndToEndCall.HeardTags(result));

        // B connected fresh: the one model session that carried the call is B's, opened at the stream, not resumed.
        var onB = Assert.Single(pair.B.Emulator.Sessions);
        Assert.NotEmpty(onB.Received("realtimeInput.audio"));
        Assert.Null(onB.ResumedWithHandle);

        // One record, the same from either instance: the stream B claimed, B's decision, every status callback.
        var record = await pair.A.RecordAsync(result.CallSid);
        var fromB = await pair.B.RecordAsync(result.CallSid);
        Assert.NotNull(record);
        Assert.Equal(record.Version, fromB!.Version);
        var stream = Assert.Single(record.Streams);
        Assert.Equal(result.Streams[0].StreamSid, stream.StreamSid);
        Assert.IsType<NextAction.Hangup>(stream.NextAction);
        Assert.StartsWith("hangup:", record.EndReason, StringComparison.Ordinal);
        Assert.Contains("A", pair.RoutedTo(TwilioPaths.CallStatus));
        Assert.Contains("B", pair.RoutedTo(TwilioPaths.CallStatus));
        Assert.All(result.Callbacks, c => Assert.Equal(204, c.StatusCode));
        var statuses = record.StatusHistory.Where(s => s.Source == "call").Select(s => s.Status).ToList();
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], statuses.Order(StatusOrder.Instance));
        Assert.Equal("completed", record.CallStatus);
        Assert.Contains(record.StatusHistory, s => s.Source == "connect-action" && s.Status == "hangup");

        // The token B claimed, replayed on A, is refused there; and a replay cannot push the call to the fallback.
        await using (var replay = await TwoInstances.OpenStreamAsync(pair.A, result.Streams[0].Url))
        {
            await replay.StartAsync(result.CallSid, result.Streams[0].CustomParameters);
            var handshake = await replay.HandshakeAsync(TimeSpan.FromSeconds(10));
            Assert.False(handshake.Accepted);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, handshake.CloseStatus);
            Assert.Equal("token-reused", handshake.CloseDescription);
        }

        var after = await pair.B.RecordAsync(result.CallSid);
        Assert.IsType<NextAction.Hangup>(Assert.Single(after!.Streams).NextAction);
        Assert.Equal(stream.StreamSid, after.Streams[0].StreamSid);
    }

    [SkippableFact]
    public async Task A_prewarmed_session_no_stream_claims_is_closed_by_its_instance_after_the_prewarm_timeout()
    {
        await using var pair = await TwoInstances.StartAsync(database, TwoTurns, Settings);
        pair.Route = (path, _) => path == TwilioPaths.Media ? pair.B : pair.A;

        var result = await pair.CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(3), (1.2, 1.9, "first")));
        Log(pair, result);
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal([1, 2], EndToEndCall.HeardTags(result));

        // A opened a session at the webhook; no stream came to A, so A closed it (a client close) once the timeout had
        // passed, having sent it nothing but its setup and the close.
        var prewarmed = Assert.Single(pair.A.Emulator.Sessions);
        await WaitForAsync(() => !prewarmed.IsOpen, TimeSpan.FromSeconds(10), "A's pre-warmed session was never closed");
        var closedAfter = prewarmed.ClosedAt!.Value - result.StartedAt;
        output.WriteLine($"A's pre-warmed session: closed {closedAfter.TotalMilliseconds:0} ms after the voice webhook was sent, by {prewarmed.ClosedBy} ({prewarmed.CloseCode}); received {string.Join(", ", prewarmed.Entries.Where(e => e.Direction == EmulatorLogDirection.Received).Select(e => e.Kind))}");
        Assert.Equal(EmulatorCloseInitiator.Client, prewarmed.ClosedBy);
        Assert.Single(prewarmed.Sent("setupComplete"));
        Assert.Equal(["setup", "close"], prewarmed.Entries.Where(e => e.Direction == EmulatorLogDirection.Received).Select(e => e.Kind));

        // The timer starts at the webhook, so never before the timeout; the upper slack covers a loaded machine.
        var timeout = TimeSpan.Parse(PrewarmTimeout, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(closedAfter, timeout, timeout + TimeSpan.FromSeconds(5));

        // B opened its own session for the stream and that is the one the caller talked to.
        var onB = Assert.Single(pair.B.Emulator.Sessions);
        Assert.True(onB.ConnectedAt > prewarmed.ConnectedAt);
        Assert.NotEmpty(onB.Received("realtimeInput.audio"));
    }

    [SkippableFact]
    public async Task Both_instances_racing_for_one_stream_token_exactly_one_takes_it()
    {
        await using var pair = await TwoInstances.StartAsync(database, TwoTurns, Settings);
        var winners = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            var (callSid, answered) = await pair.AnswerAsync();
            var noun = Assert.IsType<CallReplay.Twiml.StreamNoun>(answered);
            await using var onA = await TwoInstances.OpenStreamAsync(pair.A, noun);
            await using var onB = await TwoInstances.OpenStreamAsync(pair.B, noun);

            // Both starts leave together; each instance checks the token (valid on both) and claims it in the database.
            await Task.WhenAll(onA.StartAsync(callSid, noun.Parameters), onB.StartAsync(callSid, noun.Parameters));
            var outcomes = await Task.WhenAll(onA.HandshakeAsync(TimeSpan.FromSeconds(10)), onB.HandshakeAsync(TimeSpan.FromSeconds(10)));
            output.WriteLine($"round {round + 1}: A {Describe(outcomes[0])}, B {Describe(outcomes[1])}");

            Assert.Single(outcomes, o => o.Accepted);
            var loser = Assert.Single(outcomes, o => !o.Accepted);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, loser.CloseStatus);
            Assert.Equal("token-reused", loser.CloseDescription);
            var winner = outcomes[0].Accepted ? onA : onB;
            winners.Add(outcomes[0].Accepted ? "A" : "B");

            // The record names the winner's stream, and the refused twin left no decision on it.
            var record = await pair.A.RecordAsync(callSid);
            var stream = Assert.Single(record!.Streams);
            Assert.Equal(winner.StreamSid, stream.StreamSid);
            Assert.NotNull(stream.ClaimedAt);
            Assert.Null(stream.NextAction);
            await winner.StopAsync();
        }

        output.WriteLine($"winners: {string.Join(", ", winners)}");
    }

    [SkippableFact]
    public async Task A_stream_lost_on_B_is_reconnected_by_A_and_stream_2_runs_on_A()
    {
        await using var pair = await TwoInstances.StartAsync(database, TwoTurns, Settings);
        pair.Route = (path, n) => path == TwilioPaths.Media && n == 0 ? pair.B : pair.A;

        // Stream 1 (on B) breaks as a network loss would: no stop, no decision. A's connect-action reads B's claim on
        // the record (the stream started, so it died) and issues stream 2, which A claims.
        var result = await pair.CallAsync(
            CallerAudio.Speech(TimeSpan.FromSeconds(7), (4.6, 5.3, "first")),
            o => o with { AbortStreamAfter = TimeSpan.FromSeconds(2.5) });
        Log(pair, result);

        Assert.Equal(["B", "A"], pair.RoutedTo(TwilioPaths.Media));
        Assert.Equal(["A"], pair.RoutedTo(TwilioPaths.ConnectAction));
        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        Assert.Equal(2, result.Streams.Count);

        var record = await pair.B.RecordAsync(result.CallSid);
        Assert.Equal(2, record!.Streams.Count);
        Assert.Equal(result.Streams[0].StreamSid, record.Streams[0].StreamSid);
        Assert.Equal(result.Streams[1].StreamSid, record.Streams[1].StreamSid);
        Assert.NotNull(record.Streams[1].ClaimedAt);
        Assert.Contains(record.StatusHistory, s => s.Source == "connect-action" && s.Status == "reconnect");

        // The caller hears the agent again on stream 2: A's own model session, which got the caller's audio.
        var afterReconnect = result.AgentTurns.Where(t => t.Start > result.Streams[1].Started).ToList();
        Assert.Contains(afterReconnect, t => EndToEndCall.TagOf(result, t.Start, t.End) is not null);
        Assert.Contains(pair.A.Emulator.Sessions, s => s.Received("realtimeInput.audio").Count > 0);
        Assert.Single(pair.B.Emulator.Sessions, s => s.Received("realtimeInput.audio").Count > 0);
    }

    [SkippableFact]
    public async Task A_transfer_armed_on_B_is_dialled_by_A_and_when_nobody_answers_the_caller_is_back_with_the_agent_on_A()
    {
        await using var pair = await TwoInstances.StartAsync(database, TransferScenario, Settings);
        pair.Route = (path, n) => path switch
        {
            TwilioPaths.Media => n == 0 ? pair.B : pair.A,
            TwilioPaths.DialAction => pair.B,
            _ => pair.A,
        };

        // B runs connect_to_human (hand-off stored, transfer recorded as stream 1's NextAction); A's connect-action
        // enqueues the caller; the queue is full; B's dial-action records that and issues stream 2; A takes it and
        // tells its fresh model session what happened, from the record and the hand-off B stored.
        var result = await pair.CallAsync(
            CallerAudio.Speech(TimeSpan.FromSeconds(4), (1.2, 1.9, "a person please")),
            o => o with { DialOutcome = DialOutcome.Busy });
        Log(pair, result);

        Assert.Equal(["B", "A"], pair.RoutedTo(TwilioPaths.Media));
        Assert.Equal(["A"], pair.RoutedTo(TwilioPaths.ConnectAction));
        Assert.Equal(["B"], pair.RoutedTo(TwilioPaths.DialAction));
        var transfer = Assert.Single(result.Transfers);
        Assert.Equal("Enqueue", transfer.Verb);
        Assert.Equal("support", transfer.Target);
        Assert.Equal(2, result.Streams.Count);

        var record = await pair.A.RecordAsync(result.CallSid);
        var armed = Assert.IsType<NextAction.Transfer>(record!.Streams[0].NextAction);
        Assert.Equal("support", armed.Target);
        Assert.Contains(record.StatusHistory, s => s.Source == "dial-action");
        Assert.Equal(result.Streams[1].StreamSid, record.Streams[1].StreamSid);

        var returned = Assert.Single(pair.A.Emulator.Sessions, s => s.Received("realtimeInput.audio").Count > 0);
        var told = string.Join('\n', returned.Entries.Select(e => e.Text));
        Assert.Contains("back on the line", told, StringComparison.Ordinal);
        Assert.Contains("wants to talk about order A17", told, StringComparison.Ordinal);
        Assert.Contains(result.AgentTurns, t => t.Start > result.Streams[1].Started && EndToEndCall.TagOf(result, t.Start, t.End) is not null);
    }

    [SkippableFact]
    public async Task The_concurrent_call_limit_is_per_instance_a_call_counts_where_it_was_admitted_and_where_its_stream_runs()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Bridge:MaxConcurrentCalls"] = "1", ["Twilio:StreamTokenLifetime"] = "00:00:05" };
        await using var pair = await TwoInstances.StartAsync(database, TwoTurns, settings);
        var webhooksTo = pair.A;
        pair.Route = (_, _) => webhooksTo;

        // Call 1: admitted on A, its stream runs on B.
        var (first, answered) = await pair.AnswerAsync();
        var stream1 = Assert.IsType<CallReplay.Twiml.StreamNoun>(answered);
        await using var running1 = await TwoInstances.OpenStreamAsync(pair.B, stream1);
        await running1.StartAsync(first, stream1.Parameters);
        Assert.True((await running1.HandshakeAsync(TimeSpan.FromSeconds(10))).Accepted);

        // A still counts call 1 (admitted here, its stream not started here) until its token expires, and B counts the
        // stream it runs: with a limit of one each, both refuse the next call (README: "Several instances").
        var (second, onA) = await pair.AnswerAsync();
        webhooksTo = pair.B;
        var (third, onB) = await pair.AnswerAsync();
        Assert.Null(onA);
        Assert.Null(onB);
        Assert.Equal("refused:max-concurrent-calls", (await pair.B.RecordAsync(second))!.EndReason);
        Assert.Equal("refused:max-concurrent-calls", (await pair.A.RecordAsync(third))!.EndReason);

        // Once call 1's token has expired A admits again; B never refuses a stream, so it then runs two with a limit of one.
        var admissionA = pair.A.Server.Services.GetRequiredService<BridgeCallAdmission>();
        var admissionB = pair.B.Server.Services.GetRequiredService<BridgeCallAdmission>();
        await WaitForAsync(() => admissionA.InFlight == 0, TimeSpan.FromSeconds(15), "A kept counting call 1 after its token expired");
        webhooksTo = pair.A;
        var (fourth, again) = await pair.AnswerAsync();
        var stream4 = Assert.IsType<CallReplay.Twiml.StreamNoun>(again);
        await using var running4 = await TwoInstances.OpenStreamAsync(pair.B, stream4);
        await running4.StartAsync(fourth, stream4.Parameters);
        Assert.True((await running4.HandshakeAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.Equal(2, admissionB.StreamsRunning);

        await running1.StopAsync();
        await running4.StopAsync();
    }

    private static string Describe(StreamHandshake h) => h.Accepted ? "took the stream" : $"refused ({(int?)h.CloseStatus} {h.CloseDescription})";

    private void Log(TwoInstances pair, CallResult result)
    {
        output.WriteLine($"call {result.CallSid}: {result.EndReason} {result.Error}; verbs: {string.Join(", ", result.Verbs)}");
        output.WriteLine($"heard tags: {string.Join(", ", EndToEndCall.HeardTags(result))}");
        var instances = pair.RoutedTo(TwilioPaths.Media);
        foreach (var stream in result.Streams)
        {
            output.WriteLine($"stream {stream.Number} {stream.StreamSid} on {instances.ElementAtOrDefault(stream.Number - 1)}: {stream.Started.TotalSeconds:0.00}–{stream.Ended.TotalSeconds:0.00} s, {stream.EndedBy}");
        }

        foreach (var path in new[] { TwilioPaths.Voice, TwilioPaths.ConnectAction, TwilioPaths.DialAction, TwilioPaths.CallStatus, TwilioPaths.StreamStatus })
        {
            output.WriteLine($"{path} → {string.Join(", ", pair.RoutedTo(path))}");
        }

        foreach (var warning in result.Warnings)
        {
            output.WriteLine($"warning {warning.Code}: {warning.Message}");
        }

        foreach (var instance in new[] { pair.A, pair.B })
        {
            foreach (var session in instance.Emulator.Sessions)
            {
                output.WriteLine($"{instance.Name}'s emulator: {session.ConnectionId} open {session.ConnectedAt:HH:mm:ss.fff}–{session.ClosedAt:HH:mm:ss.fff} closed by {session.ClosedBy}");
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string message)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, message);
            await Task.Delay(20);
        }
    }

    /// <summary>Twilio's order of call progress events (the callbacks are asynchronous, so they may land out of order).</summary>
    private sealed class StatusOrder : IComparer<string>
    {
        public static readonly StatusOrder Instance = new();

        private static readonly string[] Order = ["initiated", "ringing", "in-progress", "completed"];

        public int Compare(string? x, string? y) => Array.IndexOf(Order, x).CompareTo(Array.IndexOf(Order, y));
    }
}
