using System.Text.Json;
using PhoneAgent.AudioCodec.Wav;
using PhoneAgent.CallReplay.Tests.Testing;
using static PhoneAgent.CallReplay.Tests.Testing.ScriptedServer;

namespace PhoneAgent.CallReplay.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("callreplay-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Call_places_a_call_and_writes_what_was_heard_and_the_timeline()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Respond = r => Xml(r.Path == "/twilio/voice" ? server.ConnectTwiml(action: null) : "<Response/>");
        server.Media = async s =>
        {
            await s.StartAsync();
            await s.SendMediaAsync(Audio.Marker(200));
            await s.SendMarkAsync("t1.f10.end");
            await s.DrainAsync();
        };
        var audio = Path.Combine(_folder, "caller.ulaw");
        await File.WriteAllBytesAsync(audio, Audio.Bursts(600, 440, (100, 300)));
        var heard = Path.Combine(_folder, "heard.wav");
        var timeline = Path.Combine(_folder, "timeline.jsonl");

        var exit = await Program.Main(["call", server.BaseUrl.ToString(), "--audio", audio, "--out", heard, "--timeline", timeline,
            "--hangup-after", "300ms", "--twiml-time-scale", "0", "--no-api", "--quiet", "--dtmf", "4@0.2", "--drop-silence"]);

        Assert.Equal(0, exit);
        Assert.Contains(server.Requests, r => r.Path == "/twilio/voice" && r.Signature is not null);
        Assert.Contains(server.Requests, r => r.Path == "/twilio/call-status" && r.Form["CallStatus"] == "completed");
        var wav = WavFile.Read(heard);
        Assert.Equal(8000, wav.SampleRate);
        Assert.Contains(wav.Channels[0], s => s != 0);
        var events = (await File.ReadAllLinesAsync(timeline)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "stream.started");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "caller.dtmf");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "call.ended");
    }

    [Fact]
    public async Task Bad_arguments_are_refused()
    {
        Assert.NotEqual(0, await Program.Main(["call", "http://127.0.0.1:1", "--audio", Path.Combine(_folder, "missing.wav")]));
        Assert.NotEqual(0, await Program.Main(["call", "http://127.0.0.1:1"]));
        var audio = Path.Combine(_folder, "a.ulaw");
        await File.WriteAllBytesAsync(audio, Audio.Silence(100));
        Assert.NotEqual(0, await Program.Main(["call", "http://127.0.0.1:1", "--audio", audio, "--dial-outcome", "maybe"]));
        Assert.NotEqual(0, await Program.Main(["call", "http://127.0.0.1:1", "--audio", audio, "--hangup-after", "soon"]));
        Assert.Equal(2, await Program.Main(["call", "http://127.0.0.1:1", "--audio", audio, "--frame-ms", "25"]));
    }

    [Fact]
    public async Task Segment_writes_a_transcript_skeleton()
    {
        var audio = Path.Combine(_folder, "real.ulaw");
        await File.WriteAllBytesAsync(audio, Audio.Bursts(3000, 440, (500, 1000), (2000, 2500)));
        Assert.Equal(0, await Program.Main(["segment", audio, "--write"]));
        var transcript = CallReplay.Recordings.TranscriptFile.Read(Path.Combine(_folder, "real.json"));
        Assert.Equal(2, transcript.Count);
    }
}
