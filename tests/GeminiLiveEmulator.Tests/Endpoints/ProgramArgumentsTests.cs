using PhoneAgent.GeminiLiveEmulator.Hosting;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Endpoints;

public sealed class ProgramArgumentsTests
{
    [Fact]
    public void CommandLine_BecomesOptions()
    {
        var arguments = ProgramArguments.Parse(["--urls", "http://127.0.0.1:5055;http://127.0.0.1:5056", "--scenario", "order-status",
            "--api-key=k", "--reply-latency-ms", "250", "--test-mode", "--refuse-resume-while-old-open", "--log-level", "debug"]);

        var options = arguments.ToOptions(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        Assert.Equal(["http://127.0.0.1:5055", "http://127.0.0.1:5056"], options.Urls);
        Assert.Equal("order-status", options.Scenario.Name);
        Assert.Equal("k", options.ApiKey);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReplyLatency);
        Assert.True(options.TestMode && options.RefuseResumeWhileOldOpen);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, arguments.LogLevel);
    }

    [Theory]
    [InlineData("--nope")]
    [InlineData("--reply-latency-ms", "soon")]
    [InlineData("--urls")]
    public void BadCommandLine_IsRejected(params string[] args) => Assert.Throws<ArgumentException>(() => ProgramArguments.Parse(args));

    [Fact]
    public async Task SessionLog_IsReadable_AudioAsByteCounts()
    {
        await using var server = await TestServer.StartAsync(TestServer.Scenario("""{"turns":[{"caller":"Hello there.","reply":{"clip":"okay"}}]}"""));
        await using var client = await LiveTestClient.SetUpAsync(server.DeveloperApiUri, Messages.Setup());

        await client.SendAudioAsync(TestAudio.Utterance(16000), 16000);
        await client.WaitForAsync("serverContent.turnComplete");
        await client.CloseAsync();
        await Task.Delay(100);

        var text = server.Sessions.Single().ToString();
        Assert.Matches(@"<- realtimeInput\.audio \d+ B \(\d+ ms, audio/pcm;rate=16000\) in \d+ messages", text);
        Assert.Equal(28800, server.Sessions.Single().Received("realtimeInput.audio").Sum(e => e.AudioBytes));
        Assert.Contains("-> serverContent.modelTurn [turn 1] audio ", text, StringComparison.Ordinal);
        Assert.Contains("input transcription is scripted", text, StringComparison.Ordinal);
        Assert.Contains("<- close 1000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", text, StringComparison.Ordinal);
        Assert.Equal(EmulatorCloseInitiator.Client, server.Sessions.Single().ClosedBy);
    }
}
