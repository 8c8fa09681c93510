using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.CallReplay.Calls;
using PhoneAgent.EndToEnd.Tests.Testing;
using PhoneAgent.Model;
using Xunit.Abstractions;

namespace PhoneAgent.EndToEnd.Tests;

/// <summary>The whole audio path with tones: CallReplay's μ-law 8 kHz ↔ the bridge ↔ a model that hears and speaks tones.</summary>
[Collection(RealTimeCalls.Name)]
public sealed class AudioPathTests(ITestOutputHelper output)
{
    private const double Level = -10; // dBFS

    [Fact]
    public async Task Inbound_1kHz_arrives_at_1kHz_within_half_a_dB_with_its_7kHz_image_70dB_down()
    {
        var model = new ToneModelClient();
        await using var server = Start(model);

        var result = await new FakeTwilioCaller(server.CallerOptions()).CallAsync(CallerAudio.Tone(TimeSpan.FromSeconds(1.5), 1000, Level));

        Assert.Equal(CallEndReason.CallerHungUp, result.EndReason);
        var heard = Assert.Single(model.Sessions).Heard();
        Assert.True(heard.Length >= 16_000, $"{heard.Length} samples");

        // A steady second of the 16 kHz signal the model got, away from the start.
        var window = heard.AsSpan(3200, 16_000);
        var sent = MuLawLevel(CallerAudio.Tone(TimeSpan.FromSeconds(1), 1000, Level).MuLaw.Span, 1000, 8000);
        var tone = Spectrum.LevelDb(window, 1000, 16_000);
        var image = Spectrum.LevelDb(window, 7000, 16_000);
        output.WriteLine($"inbound: sent {sent:0.00} dBFS (after μ-law), model got 1 kHz at {tone:0.00} dBFS, 7 kHz image at {image:0.0} dBFS ({tone - image:0.0} dB down)");
        Assert.InRange(tone - sent, -0.5, 0.5);
        Assert.True(tone - image >= 70, $"image only {tone - image:0.0} dB down");
    }

    [Fact]
    public async Task Outbound_1kHz_arrives_within_half_a_dB_and_5kHz_alone_arrives_as_digital_silence()
    {
        var model = new ToneModelClient { Replies = [(1000, Level, TimeSpan.FromSeconds(1)), (5000, Level, TimeSpan.FromSeconds(1))] };
        await using var server = Start(model);

        var result = await new FakeTwilioCaller(server.CallerOptions()).CallAsync(CallerAudio.Speech(TimeSpan.FromSeconds(2.5)));

        var heard = result.Heard.Span;
        var oneK = result.HeardFrames.Where(f => f.AgentTurn == 1).Select(f => f.Slot).Order().ToArray();
        var fiveK = result.HeardFrames.Where(f => f.AgentTurn == 2).Select(f => f.Slot).ToArray();
        Assert.True(oneK.Length >= 45, $"{oneK.Length} frames of the 1 kHz turn");

        // The 1 kHz turn: a steady 800 ms in the middle of it, decoded.
        var start = (int)oneK[5] * 160;
        var samples = new short[6400];
        MuLaw.Decode(heard.Slice(start, samples.Length), samples);
        var level = Spectrum.LevelDb(samples, 1000, 8000);
        output.WriteLine($"outbound: model sent 1 kHz at {Level:0.00} dBFS, caller heard {level:0.00} dBFS");
        Assert.InRange(level - Level, -0.5, 0.5);

        // The 5 kHz turn is above the phone band: every sample the caller heard of it decodes to 0, except that when it
        // follows the 1 kHz turn without a pause, the downsampler carries the 1 kHz turn's end into the first frame: the
        // whole stream is late by the filter's delay and each output sample spans ± that delay, so up to twice the delay
        // (about 4 ms, 32 samples) of the 1 kHz turn may sound there, and nothing after it.
        var tailSamples = (int)Math.Ceiling(2 * ResamplerDesign.For(24_000, 8_000).Delay.TotalSeconds * 8000) + 1;
        var decoded = new short[160];
        var nonZero = 0;
        var boundaryTail = 0;
        var first = fiveK.Length == 0 ? -1 : fiveK.Min();
        foreach (var slot in fiveK)
        {
            MuLaw.Decode(heard.Slice((int)slot * 160, 160), decoded);
            var followsTurn1 = slot == first && oneK.Contains(slot - 1);
            boundaryTail += followsTurn1 ? decoded.AsSpan(0, tailSamples).ToArray().Count(s => s != 0) : 0;
            nonZero += (followsTurn1 ? decoded.AsSpan(tailSamples) : decoded.AsSpan()).ToArray().Count(s => s != 0);
        }

        output.WriteLine($"outbound: 5 kHz turn, {fiveK.Length} frames heard, {nonZero} non-zero samples (+ {boundaryTail} of the 1 kHz turn's filter tail)");
        Assert.NotEmpty(fiveK);
        Assert.Equal(0, nonZero);
    }

    private static PhoneAgentServer Start(ToneModelClient model) => new(
        new Dictionary<string, string?> { ["Gemini:Backend"] = "Emulator" },
        services =>
        {
            services.RemoveAll<IRealtimeModelClient>();
            services.AddSingleton<IRealtimeModelClient>(model);
            services.RemoveAll<IModelSessionPrewarmer>();
            services.AddSingleton<IModelSessionPrewarmer, NoPrewarm>();
        });

    private static double MuLawLevel(ReadOnlySpan<byte> codes, double frequency, int rate)
    {
        var samples = new short[codes.Length];
        MuLaw.Decode(codes, samples);
        return Spectrum.LevelDb(samples.AsSpan(800, 6400), frequency, rate);
    }

    private sealed class NoPrewarm : IModelSessionPrewarmer
    {
        public bool Prewarm(string key, ModelSessionConfig config) => false;

        public IRealtimeModelSession? Claim(string key) => null;
    }
}
