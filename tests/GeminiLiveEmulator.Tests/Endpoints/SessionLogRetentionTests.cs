using PhoneAgent.GeminiLiveEmulator.Hosting;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Endpoints;

/// <summary>How many in-memory session logs the emulator keeps, and that keeping none changes nothing on the wire.</summary>
public sealed class SessionLogRetentionTests
{
    [Fact]
    public void Standalone_KeepsNoSessionLogsInMemory()
    {
        // Nothing can read them in a standalone process, and under load they were most of its live heap.
        var options = ProgramArguments.Parse([]).ToOptions(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        Assert.Equal(0, options.MaxRetainedSessions);
        Assert.Equal(0, options.MaxLogEntriesPerSession);
    }

    [Fact]
    public async Task NoSessionLogs_TheOpenSessionIsListedWithoutEntries_ClosedOnesAreDropped_RepliesStillFlow()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"caller":"Hello there.","reply":{"clip":"okay"}}]}"""), o =>
        {
            o.MaxRetainedSessions = 0;
            o.MaxLogEntriesPerSession = 0;
        });
        await using (var first = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup()))
        {
            await first.SendAudioAsync(TestAudio.Utterance(16000), 16000);
            await first.WaitForAsync("serverContent.turnComplete");
            Assert.Contains(first.History, e => e.Is("serverContent.modelTurn"));
            var open = Assert.Single(server.Sessions);
            Assert.Empty(open.Entries);
            Assert.True(open.DroppedEntries > 0);
            await first.CloseAsync();
        }

        await WaitUntilAsync(() => server.Sessions.Count == 0);
        await using var second = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        Assert.Equal("c2", Assert.Single(server.Sessions).ConnectionId);
    }

    [Fact]
    public async Task RetainedSessions_KeepsTheNewestClosedLogs()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.MaxRetainedSessions = 2);
        for (var i = 1; i <= 4; i++)
        {
            await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());
            await client.CloseAsync();
            var closed = Math.Min(i, 2);
            await WaitUntilAsync(() => server.Sessions.Count == closed && server.Sessions.All(s => !s.IsOpen));
        }

        Assert.Equal(["c3", "c4"], server.Sessions.Select(s => s.ConnectionId));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
