using System.Collections.Concurrent;
using System.Diagnostics;
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
/// The agent also measures its own lateness (<see cref="LateMs"/>): on a busy machine its frames are read late and its
/// timers fire late, and that is latency the caller really hears, which the load tool must include, not hide.
/// </summary>
public sealed class ScriptedAgent : IAsyncDisposable
{
    private ScriptedAgent(ScriptedServer server) => Server = server;

    public ScriptedServer Server { get; }

    public TimeSpan Silence { get; init; } = TimeSpan.FromMilliseconds(400);

    public TimeSpan ReplyLatency { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan ReplyLength { get; init; } = TimeSpan.FromMilliseconds(1000);

    public TimeSpan ReplyGap { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How late the agent itself was, per (CallSid, event): <c>reply{turn}</c> (the turn-ending frame read late plus
    /// the reply latency's timer firing late), <c>clear</c> (the barge-in frame read late), <c>gap</c> (the second
    /// reply's gap timer firing late). A frame's read lateness is its arrival against the stream's earliest-arriving
    /// frame on the 20 ms grid.
    /// </summary>
    public ConcurrentDictionary<(string CallSid, string Event), double> LateMs { get; } = new();

    /// <summary>The agent's own lateness for an event, 0 when it was on time (or did not happen).</summary>
    public double Late(string callSid, string @event) => LateMs.GetValueOrDefault((callSid, @event));

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
        var start = await socket.StartAsync();
        var callSid = start.GetProperty("start").GetProperty("callSid").GetString()!;
        var clock = Stopwatch.StartNew();
        var frameIndex = 0;
        var earliestOffsetMs = double.MaxValue;
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

            // Arrival on the 20 ms grid: the earliest-arriving frame so far sets the grid, later ones are late by the rest.
            var offsetMs = clock.Elapsed.TotalMilliseconds - (frameIndex++ * 20.0);
            earliestOffsetMs = Math.Min(earliestOffsetMs, offsetMs);
            var frameLateMs = offsetMs - earliestOffsetMs;
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
                        LateMs[(callSid, "clear")] = frameLateMs;
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
                replies.Add(ReplyAsync(socket, send, callSid, t, frameLateMs));
            }
        }

        await Task.WhenAll(replies);
        await socket.DrainAsync();
    }

    private async Task ReplyAsync(MediaSocket socket, SemaphoreSlim send, string callSid, int turn, double frameLateMs)
    {
        var waited = Stopwatch.StartNew();
        await Task.Delay(ReplyLatency);
        LateMs[(callSid, $"reply{turn}")] = frameLateMs + (waited.Elapsed - ReplyLatency).TotalMilliseconds;
        var frames = (int)(ReplyLength.TotalMilliseconds / 20);
        var audio = Audio.Bursts((int)ReplyLength.TotalMilliseconds, 600, (0, (int)ReplyLength.TotalMilliseconds));
        try
        {
            if (turn == 2)
            {
                var half = audio.Length / 2 / 160 * 160;
                await Locked(send, () => socket.SendMediaAsync(audio.AsSpan(0, half)));
                await Locked(send, () => socket.SendMarkAsync($"t{turn}.f{half / 160}"));
                var gap = TimeSpan.FromMilliseconds(half / 8.0) + ReplyGap;
                waited.Restart();
                await Task.Delay(gap);
                LateMs[(callSid, "gap")] = (waited.Elapsed - gap).TotalMilliseconds;
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
