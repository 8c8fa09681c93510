using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Conversation;

/// <summary>Like the real model, the emulator says a quoted sentence when told to (the bridge's greeting trigger).</summary>
public sealed class QuotedInstructionTests
{
    [Fact]
    public async Task A_text_turn_asking_for_exact_words_is_answered_with_those_words()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{ "followQuotedInstructions": true, "turns": [ { "reply": { "clip": "greeting" } } ] }"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("[The call has connected. Greet the caller by saying exactly: \"All right, that is done.\" Then wait.]");
        await client.WaitForAsync("serverContent.turnComplete");

        // "All right, that is done." is a shipped clip, so the words come out as that clip rather than the scripted greeting.
        Assert.Equal("All right, that is done.", string.Concat(client.History.Select(e => e.OutputText)));
    }

    [Fact]
    public async Task Without_the_scenario_switch_the_scripted_reply_is_played()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{ "turns": [ { "reply": { "clip": "okay" } } ] }"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendTextAsync("Greet the caller by saying exactly: \"All right, that is done.\"");
        await client.WaitForAsync("serverContent.turnComplete");

        Assert.Equal("Okay.", string.Concat(client.History.Select(e => e.OutputText)));
    }
}
