using PhoneAgent.GeminiLiveEmulator.Tests.Endpoints;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Lifecycle;

public sealed class FaultTests
{
    private static string WithFault(string fault) => $$"""
        { "turns": [ { "reply": { "clip": "done" } }, { "reply": { "clip": "okay" } } ], "faults": [ {{fault}} ] }
        """;

    [Fact]
    public async Task AbruptClose1011_MidReply_AndTheResumedSessionAnswersTheTurnAgain()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(WithFault("""{ "kind": "close", "at": "midReply", "turn": 2 }""")));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
        await client.SendTextAsync("One.");
        await client.WaitForAsync("serverContent.turnComplete");
        var handle = (await client.WaitForAsync(e => e.Find("sessionResumptionUpdate.resumable") is not null)).Find("sessionResumptionUpdate.newHandle")!.Value.GetString()!;

        await client.SendTextAsync("Two.");
        var close = await client.WaitForCloseAsync();
        await using var resumed = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));
        await resumed.SendTextAsync("Two, again.");
        await resumed.WaitForAsync("serverContent.turnComplete");

        Assert.Equal((1011, Golden.CloseReason("close-1011-internal.json")), (close.CloseCode, close.CloseReason));
        Assert.Contains(client.History.SkipWhile(e => !e.Is("serverContent.turnComplete")), e => e.Audio is not null);
        Assert.Equal("Okay.", string.Concat(resumed.History.Select(e => e.OutputText)));
    }

    [Fact]
    public async Task Abort_DropsTheConnectionWithoutACloseFrame()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(WithFault("""{ "kind": "abort", "at": "reply" }""")));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("Hello?");
        var end = await client.WaitForCloseAsync();

        Assert.True(end.Aborted);
        Assert.Null(end.CloseCode);
        Assert.Equal(EmulatorCloseInitiator.Transport, server.Sessions.Single().ClosedBy);
    }

    [Fact]
    public async Task Stall_DelaysEverythingBySeconds()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(WithFault("""{ "kind": "stall", "at": "reply", "seconds": 0.8 }""")));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        var sent = DateTimeOffset.UtcNow;
        await client.SendTextAsync("Hello?");
        var next = await client.WaitForAsync(e => e.Audio is not null);
        await client.WaitForAsync("serverContent.turnComplete");

        Assert.InRange((next.At - sent).TotalSeconds, 0.8, 3.0); // 0.8 s stall + 50 ms latency; the slack is for a loaded CI machine
    }

    [Fact]
    public async Task MalformedFrame_IsSentOnce_AndTheTurnGoesOn()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(WithFault("""{ "kind": "malformedFrame", "at": "reply" }""")));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("Hello?");
        await client.WaitForAsync("serverContent.turnComplete");
        await client.SendTextAsync("Again.");
        await client.WaitForAsync("serverContent.turnComplete");

        Assert.Single(client.History, e => e.IsMalformed);
        Assert.Contains(server.Sessions.Single().Sent("malformed"), e => e.Text.Contains("fault", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefuseResume_RefusesTheFirstResumption_Only()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(WithFault("""{ "kind": "refuseResume", "count": 1 }""")));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
        var handle = (await client.WaitForAsync("sessionResumptionUpdate")).Find("sessionResumptionUpdate.newHandle")!.Value.GetString()!;
        await client.CloseAsync();

        var refused = await CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));
        await using var accepted = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup(handle: handle));

        Assert.Equal((1007, Golden.CloseReason("close-1007-invalid-argument.json")), (refused.CloseCode, refused.CloseReason));
    }

    [Fact]
    public async Task SetupFault_CanRefuseEverySessionWithAFatalCode()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario(WithFault(
            """{ "kind": "close", "at": "setup", "code": 1008, "reason": "Operation is not implemented, or supported, or enabled." }""")));

        var close = await CredentialTests.SetupAndCloseAsync(server.DeveloperApiUri, Messages.Setup());

        Assert.Equal((1008, Golden.CloseReason("close-1008-not-implemented.json")), (close.CloseCode, close.CloseReason));
    }
}
