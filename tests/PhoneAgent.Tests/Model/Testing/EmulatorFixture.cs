using System.Buffers.Binary;
using PhoneAgent.GeminiLiveEmulator;
using PhoneAgent.Model;

namespace PhoneAgent.Tests.Model.Testing;

/// <summary>An in-process emulator with fast timings and test-mode turn tags, plus a client pointed at it.</summary>
public sealed class EmulatorFixture : IAsyncDisposable
{
    private EmulatorFixture(EmulatorServer emulator, GeminiTestHost host)
    {
        Emulator = emulator;
        Host = host;
    }

    public EmulatorServer Emulator { get; }

    public GeminiTestHost Host { get; }

    public static readonly ModelSessionConfig Config = new()
    {
        SystemInstruction = "You are a phone agent.",
        Voice = "Aoede",
        Label = "CA-emulator",
        TurnDetection = new ModelTurnDetection
        {
            HighStartSensitivity = false,
            HighEndSensitivity = false,
            PrefixPaddingMs = 40,
            SilenceDurationMs = 300,
            CallerCanInterrupt = true,
            TurnIncludesOnlyActivity = true,
        },
    };

    public static async Task<EmulatorFixture> StartAsync(string scenarioJson, Action<EmulatorOptions>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var options = new EmulatorOptions
        {
            Scenario = EmulatorScenario.Parse(scenarioJson),
            ReplyLatency = TimeSpan.FromMilliseconds(80),
            SetupLatency = TimeSpan.FromMilliseconds(10),
            ReplySpeedup = 8,
            TestMode = true,
            EspeakPath = "",
        };
        configure?.Invoke(options);
        var emulator = await EmulatorServer.StartAsync(options);
        return new EmulatorFixture(emulator, GeminiTestHost.Create(emulator.BaseUri, settings));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>
/// A caller on a phone line: 20 ms frames of 16 kHz PCM sent in real time (silence unless it is "speaking"), like the
/// bridge's upstream pump. Counts every frame sent.
/// </summary>
public sealed class CallerLine : IAsyncDisposable, IDisposable
{
    private const int Rate = 16_000;
    private const int FrameSamples = Rate / 50;
    private readonly IRealtimeModelSession _session;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _speechFramesLeft;

    public CallerLine(IRealtimeModelSession session)
    {
        _session = session;
        _loop = Task.Run(LoopAsync);
    }

    public int FramesSent { get; private set; }

    /// <summary>Speaks (a −13 dBFS tone) for <paramref name="milliseconds"/>; silence follows by itself.</summary>
    public void Say(int milliseconds = 400) => Interlocked.Exchange(ref _speechFramesLeft, milliseconds / 20);

    /// <summary>Speaks and waits until the caller has finished and the line is quiet again for <paramref name="silenceMs"/>.</summary>
    public async Task SayAndPauseAsync(int milliseconds = 400, int silenceMs = 400)
    {
        Say(milliseconds);
        await Task.Delay(milliseconds + silenceMs);
    }

    private async Task LoopAsync()
    {
        var frame = new byte[FrameSamples * 2];
        var phase = 0.0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var speaking = Interlocked.Decrement(ref _speechFramesLeft) >= 0;
                for (var i = 0; i < FrameSamples; i++)
                {
                    short sample = 0;
                    if (speaking)
                    {
                        sample = (short)(0.3 * short.MaxValue * Math.Sin(phase));
                        phase += 2 * Math.PI * 440 / Rate;
                    }

                    BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(i * 2), sample);
                }

                _session.SendAudio(frame);
                FramesSent++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stop.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (_loop.IsCompleted)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
    }
}
