using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Conversation;

public sealed class TestModeTests
{
    [Fact]
    public async Task EachReply_IsTaggedWithItsTurn()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"reply":{"clip":"okay"}},{"reply":{"clip":"okay"}},{"reply":{"clip":"done"}}]}"""), o => o.TestMode = true);
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        for (var turn = 1; turn <= 3; turn++)
        {
            await client.SendTextAsync($"Turn {turn}.");
            await client.WaitForAsync("serverContent.turnComplete");
        }

        var byTurn = client.History.Where(e => e.Audio is not null).GroupBy(InterruptionTests.Tag).ToDictionary(g => g.Key ?? 0, g => g.Count());
        Assert.Equal([1, 2, 3], byTurn.Keys.Order());
        var sentAudio = server.Sessions.Single().Sent("serverContent.modelTurn").Where(e => e.AudioBytes > 0).ToList();
        Assert.Equal(client.History.Count(e => e.Audio is not null), sentAudio.Count);
        Assert.Equal(byTurn[3], sentAudio.Count(e => e.Turn == 3));
        Assert.Equal("All right, that is done.", string.Concat(client.History.SkipWhile(e => !e.Is("serverContent.turnComplete")).Skip(1)
            .SkipWhile(e => !e.Is("serverContent.turnComplete")).Select(e => e.OutputText)));
    }
}
