using Microsoft.Extensions.Time.Testing;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Lifecycle;

public sealed class ResumptionTests
{
    private const string TwoTurns = """{"turns":[{"reply":{"clip":"okay"}},{"reply":{"clip":"done"}}]""";

    [Theory]
    [InlineData(0)] // goAway after the greeting
    [InlineData(1500)] // goAway before the greeting has ended
    public async Task GoAway_ThenResumeWithTheHandle_ContinuesTheConversation(int greetingLatencyMs)
    {
        var turns = TwoTurns.Replace("""{"reply":{"clip":"okay"}}""", $$"""{"reply":{"clip":"okay"},"replyLatencyMs":{{greetingLatencyMs}}}""", StringComparison.Ordinal);
        await using var server = await TestServer.StartAsync(TestServer.Scenario(turns + """, "goAway": { "afterSeconds": 1, "timeLeftSeconds": 3 } }"""));
        await using var old = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await old.SendTextAsync("Greet the caller.");
        await old.WaitForAsync("serverContent.turnComplete");
        var update = await old.WaitForAsync(e => e.Find("sessionResumptionUpdate.resumable")?.GetBoolean() == true);
        var handle = update.Find("sessionResumptionUpdate.newHandle")!.Value.GetString()!;
        // goAway comes 1 s after setup, before or after the greeting has ended (a busy machine can be slow to greet)
        var goAway = old.History.Find(e => e.Is("goAway")) ?? await old.WaitForAsync("goAway");
        Assert.Equal("3s", goAway.Find("goAway.timeLeft")!.Value.GetString());

        await using var resumed = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));
        await resumed.SendTextAsync("Anything else?");
        await resumed.WaitForAsync("serverContent.turnComplete");
        var deadline = await old.WaitForCloseAsync();

        Assert.Equal("All right, that is done.", string.Concat(resumed.History.Select(e => e.OutputText)));
        Assert.Equal((1011, Golden.CloseReason("close-1011-deadline-session-cap.json")), (deadline.CloseCode, deadline.CloseReason));
        Assert.InRange((deadline.At - goAway.At).TotalSeconds, 2.8, 4.0); // timeLeft 3 s; slack for receive times either way
        var (first, second) = (server.Sessions[0], server.Sessions[1]);
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal(2, second.ConnectionNumber);
        Assert.Equal(handle, second.ResumedWithHandle);
        Assert.Equal(2, second.TurnCount);
        Assert.DoesNotContain(resumed.History, e => e.Is("goAway")); // goAway is for the first connection only
    }

    [Fact]
    public async Task GoAwayAtTurn_ComesMidUtterance()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(TwoTurns + """, "goAway": { "atTurn": 2, "timeLeftSeconds": 5 } }"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("One.");
        await client.WaitForAsync("serverContent.turnComplete");
        Assert.DoesNotContain(client.History, e => e.Is("goAway"));
        await client.SendTextAsync("Two.");
        await client.WaitForAsync("serverContent.turnComplete");

        var events = client.History;
        var goAway = events.FindIndex(e => e.Is("goAway"));
        var secondAnswer = events.FindLastIndex(e => e.Is("sessionResumptionUpdate") && e.Find("sessionResumptionUpdate.newHandle") is null);
        Assert.True(goAway > events.FindIndex(secondAnswer, e => e.Audio is not null), "goAway after the answer's first chunk");
        Assert.True(goAway < events.FindLastIndex(e => e.Is("serverContent.turnComplete")), "goAway before the answer's turnComplete");
        Assert.Equal("5s", events[goAway].Find("goAway.timeLeft")!.Value.GetString());
    }

    [Fact]
    public async Task RefuseResumeWhileOldOpen_Closes1007_UntilTheOldConnectionIsClosed()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.RefuseResumeWhileOldOpen = true);
        await using var old = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
        var handle = (await old.WaitForAsync("sessionResumptionUpdate")).Find("sessionResumptionUpdate.newHandle")!.Value.GetString()!;

        await using (var refused = await LiveTestClient.ConnectAsync(server.DeveloperApiUri))
        {
            await refused.SendAsync(Messages.Setup(handle: handle));
            var close = await refused.WaitForCloseAsync();
            Assert.Equal((1007, Golden.CloseReason("close-1007-invalid-argument.json")), (close.CloseCode, close.CloseReason));
        }

        await old.CloseAsync();
        await using var resumed = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));
        Assert.Equal(2, server.Sessions[2].ConnectionNumber);
    }

    [Fact]
    public async Task WithoutTheSwitch_ResumeWhileOldOpen_IsAccepted()
    {
        await using var server = await TestServer.StartAsync();
        await using var old = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
        var handle = (await old.WaitForAsync("sessionResumptionUpdate")).Find("sessionResumptionUpdate.newHandle")!.Value.GetString()!;

        await using var resumed = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));

        Assert.True(server.Sessions[0].IsOpen);
    }

    [Fact]
    public async Task UnknownHandle_Closes1007_AndAHandleIsOnlyIssuedAtSafePoints()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(TwoTurns + "}"));
        var close = await Endpoints.CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, Messages.Setup(handle: Guid.NewGuid().ToString()));
        Assert.Equal(1007, close.CloseCode);

        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
        await client.SendTextAsync("Hello?");
        await client.WaitForAsync("serverContent.turnComplete");
        await client.WaitForAsync("sessionResumptionUpdate");

        var updates = client.History.Where(e => e.Is("sessionResumptionUpdate")).ToList();
        var firstAudio = client.History.FindIndex(e => e.Audio is not null);
        var turnComplete = client.History.FindIndex(e => e.Is("serverContent.turnComplete"));
        Assert.Equal(3, updates.Count); // after setupComplete, when generation starts (not resumable), after turnComplete
        Assert.Null(updates[1].Find("sessionResumptionUpdate.newHandle"));
        Assert.True(client.History.IndexOf(updates[1]) < firstAudio);
        Assert.True(client.History.IndexOf(updates[2]) > turnComplete);
        Assert.True(updates[2].Find("sessionResumptionUpdate.resumable")!.Value.GetBoolean());
    }

    [Fact]
    public async Task GoAwayAndHandleLifetime_FollowTheInjectedClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await TestServer.StartAsync(
            TestServer.Scenario("""{ "goAway": { "afterSeconds": 60, "timeLeftSeconds": 50 } }"""),
            o => o.TimeProvider = clock);
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
        var handle = (await client.WaitForAsync("sessionResumptionUpdate")).Find("sessionResumptionUpdate.newHandle")!.Value.GetString()!;

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await client.NothingAsync(e => e.Is("goAway"), TimeSpan.FromMilliseconds(200)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var goAway = await client.WaitForAsync("goAway");
        clock.Advance(TimeSpan.FromSeconds(50));
        var close = await client.WaitForCloseAsync();
        clock.Advance(TimeSpan.FromHours(2));
        var expired = await Endpoints.CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));

        Assert.Equal("50s", goAway.Find("goAway.timeLeft")!.Value.GetString());
        Assert.Equal(1011, close.CloseCode);
        Assert.Equal(1007, expired.CloseCode);
        Assert.Equal(TimeSpan.FromSeconds(110), server.Sessions[0].Entries.Single(e => e.Kind == "close").At);
    }
}
