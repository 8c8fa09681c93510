using System.Text.Json;
using PhoneAgent.AudioCodec.Wav;
using PhoneAgent.GeminiLiveEmulator.Audio;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Audio;

public sealed class ClipLibraryTests
{
    private static string ClipsDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/GeminiLiveEmulator/clips"));

    [Fact]
    public void ShippedClips_Are24kMonoPcm16UnderTheSizeBudget()
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ClipsDirectory, "manifest.json"))).RootElement;
        long total = 0;
        foreach (var entry in manifest.EnumerateArray())
        {
            var file = Path.Combine(ClipsDirectory, entry.GetProperty("file").GetString()!);
            var audio = WavFile.Read(file);
            total += new FileInfo(file).Length;

            Assert.Equal(24000, audio.SampleRate);
            Assert.Single(audio.Channels);
            Assert.Equal(WavEncoding.Pcm16, audio.SourceEncoding);
            Assert.InRange(audio.Duration.TotalMilliseconds - entry.GetProperty("durationMs").GetInt32(), -1, 1);
        }

        Assert.True(total < 1_500_000, $"clips take {total} bytes");
    }

    [Fact]
    public void EmbeddedLibrary_HasEveryManifestClipWithItsText()
    {
        var library = ClipLibrary.Embedded;

        Assert.Contains("greeting", library.Ids);
        Assert.True(library.TryGet("order-status", out var clip));
        Assert.Equal("Your order shipped yesterday and should arrive in three days.", clip.Text);
        Assert.Equal(10, clip.Text.Split(' ').Length);
        Assert.InRange(clip.Duration.TotalSeconds, 2.5, 4);
    }

    [Theory]
    [InlineData("It is cloudy and fourteen degrees in Lyon.", "clip:weather")]
    [InlineData("it is CLOUDY and fourteen degrees in lyon", "clip:weather")]
    [InlineData("It is sunny.", null)]
    public void FindByText_IgnoresCaseAndPunctuation(string text, string? source) =>
        Assert.Equal(source, ClipLibrary.Embedded.FindByText(text)?.Source);

    [Fact]
    public async Task Renderer_FallsBackToBabbleWhoseLengthFollowsTheText()
    {
        var renderer = new SpeechRenderer(ClipLibrary.Embedded, espeak: null);

        var shortClip = await renderer.RenderTextAsync("Your order is on its way.", CancellationToken.None);
        var longClip = await renderer.RenderTextAsync("Your order is on its way and will arrive on Tuesday before noon, with tracking.", CancellationToken.None);

        Assert.Equal("babble", shortClip.Source);
        Assert.True(longClip.Duration > shortClip.Duration * 2);
        Assert.InRange(shortClip.Duration.TotalSeconds, 0.8, 3);
    }

    [Fact]
    public async Task Renderer_SpeaksWithEspeakWhenTheMachineHasIt()
    {
        var espeak = EspeakSynthesizer.Locate(null);
        if (espeak is null)
        {
            return; // Nothing to check on a machine without espeak-ng; the babble test covers the fallback.
        }

        var clip = await new SpeechRenderer(ClipLibrary.Embedded, espeak).RenderTextAsync("Your order is on its way.", CancellationToken.None);

        Assert.Equal("espeak-ng", clip.Source);
        Assert.InRange(clip.Duration.TotalSeconds, 0.8, 3);
    }
}
