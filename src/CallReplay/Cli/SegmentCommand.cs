using System.CommandLine;
using System.Globalization;
using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Cli;

/// <summary><c>CallReplay segment FILE</c>: finds the utterances of a recording from its energy (for real recordings).</summary>
internal static class SegmentCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A recording (any format `call --audio` accepts)." }.AcceptExistingOnly();
        var callerChannel = new Option<int>("--caller-channel") { Description = "Which channel of a multi-channel WAV is the caller.", DefaultValueFactory = _ => 0 };
        var write = new Option<bool>("--write") { Description = "Write the sidecar transcript NAME.json (texts empty: fill them in) unless one exists." };
        var command = new Command("segment", "Find the caller's utterances in a recording from its energy and print them (or write a transcript skeleton).")
        {
            file, callerChannel, write,
        };
        command.SetAction(async parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            var recording = RecordedCall.Load(path, new RecordingLoadOptions { CallerChannel = parse.GetValue(callerChannel) });
            var detected = new SpeechSegmenter().Detect(recording.MuLaw.Span);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{recording.Name}: {recording.Source}, {recording.Duration.TotalSeconds:0.000} s"));
            for (var i = 0; i < detected.Count; i++)
            {
                var u = detected[i];
                var text = recording.HasTranscript && i < recording.Utterances.Count ? $"  transcript: {recording.Utterances[i].Start.TotalMilliseconds:0}–{recording.Utterances[i].End.TotalMilliseconds:0} ms \"{recording.Utterances[i].Text}\"" : "";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}: {u.Start.TotalMilliseconds:0}–{u.End.TotalMilliseconds:0} ms{text}"));
            }

            var sidecar = TranscriptFile.PathFor(path);
            if (parse.GetValue(write))
            {
                if (File.Exists(sidecar))
                {
                    await output.WriteLineAsync($"{sidecar} exists; not overwritten.");
                    return 1;
                }

                TranscriptFile.Write(sidecar, recording, detected);
                await output.WriteLineAsync($"wrote {sidecar}");
            }

            return 0;
        });
        return command;
    }
}
