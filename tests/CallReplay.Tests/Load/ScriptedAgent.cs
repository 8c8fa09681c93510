using System.Text.Json;
using System.Threading.Channels;
using PhoneAgent.AudioCodec;
using PhoneAgent.CallReplay.Tests.Testing;
using static PhoneAgent.CallReplay.Tests.Testing.ScriptedServer;

namespace PhoneAgent.CallReplay.Tests.Load;

/// <summary>
/// A voice agent with known timings, behind a <see cref="ScriptedServer"/>, the way the Gemini Live emulator behind
/// PhoneAgent behaves: energy voice activity on the caller's frames in audio time; the caller's turn ends after
/// <see cref="Silence"/> of silence; <see cref="ReplyLatency"/> later the whole reply is sent at once (tone frames,
/// then a PhoneAgent mark <c>t{turn}.f{frames}.end</c>); caller speech while a reply plays sends <c>clear</c>. The
/// second reply is sent in two halves with <see cref="ReplyGap"/> of silence between them (an underrun).
/// <c>/metrics</c> answers 404 (a server without metrics).
/// </summary>
public sealed class ScriptedAgent : IAsyncDisposable
{
    private ScriptedAgent(ScriptedServer server) => Server = server;

    public ScriptedServer Server { get; }

    public TimeSpan Silence { get; init; } = TimeSpan.FromMilliseconds(400);

    public TimeSpan ReplyLatency { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan ReplyLength { get; init; } = TimeSpan.FromMilliseconds(1000);

    public TimeSpan ReplyGap { get; init; } = TimeSpan.FromMilliseconds(100);

    public static async Task<ScriptedAgent> StartAsync(TimeSpan? silence = null, TimeSpan? replyLatency = null)
    {
        var server = await ScriptedServer.StartAsync();
        var agent = new ScriptedAgent(server)
        {
            Silence = silence ?? TimeSpan.FromMilliseconds(400),
            ReplyLatency = replyLatency ?? TimeSpan.FromMilliseconds(300),
        };
        server.Respond = r => r.Path switch
        {
            "/twilio/voice" => Xml(server.ConnectTwiml(action: null)),
            "/metrics" => (404, "text/plain", "not here"),
            _ => Xml("<Response/>"),
        };
        server.Media = agent.RunAsync;
        return agent;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task RunAsync(MediaSocket socket)
    {
        await socket.StartAsync();
        using var send = new SemaphoreSlim(1);
        var silentFrames = 0;
        var speaking = false;
        var turn = 0;
        var playingUntil = DateTime.MinValue;
        var replies = new List<Task>();
        var silenceFrames = (int)(Silence.TotalMilliseconds / 20);
        var samples = new short[160];
        while (true)
        {
            JsonElement message;
            try
            {
                message = await socket.NextAsync("media", TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
            {
                break;
            }

            var payload = Convert.FromBase64String(message.GetProperty("media").GetProperty("payload").GetString()!);
            MuLaw.Decode(payload.AsSpan(0, Math.Min(160, payload.Length)), samples);
            var loud = samples.Any(s => Math.Abs((int)s) > 1000);
            if (loud)
            {
                silentFrames = 0;
                if (!speaking)
                {
                    speaking = true;
                    if (DateTime.UtcNow < playingUntil)
                    {
                        playingUntil = DateTime.MinValue;
                        await Locked(send, () => socket.SendClearAsync());
                    }
                }
            }
            else if (speaking && ++silentFrames >= silenceFrames)
            {
                speaking = false;
                turn++;
                var t = turn;
                playingUntil = DateTime.UtcNow + ReplyLatency + ReplyLength + ReplyGap + TimeSpan.FromMilliseconds(100);
                replies.Add(ReplyAsync(socket, send, t));
            }
        }

        await Task.WhenAll(replies);
        await socket.DrainAsync();
    }

    private async Task ReplyAsync(MediaSocket socket, SemaphoreSlim send, int turn)
    {
        await Task.Delay(ReplyLatency);
        var frames = (int)(ReplyLength.TotalMilliseconds / 20);
        var audio = Audio.Bursts((int)ReplyLength.TotalMilliseconds, 600, (0, (int)ReplyLength.TotalMilliseconds));
        try
        {
            if (turn == 2)
            {
                var half = audio.Length / 2 / 160 * 160;
                await Locked(send, () => socket.SendMediaAsync(audio.AsSpan(0, half)));
                await Locked(send, () => socket.SendMarkAsync($"t{turn}.f{half / 160}"));
                await Task.Delay(TimeSpan.FromMilliseconds(half / 8.0) + ReplyGap);
                await Locked(send, () => socket.SendMediaAsync(audio.AsSpan(half)));
            }
            else
            {
                await Locked(send, () => socket.SendMediaAsync(audio));
            }

            await Locked(send, () => socket.SendMarkAsync($"t{turn}.f{frames}.end"));
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // the caller hung up meanwhile
        }
    }

    private static async Task Locked(SemaphoreSlim gate, Func<Task> action)
    {
        await gate.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            gate.Release();
        }
    }
}
