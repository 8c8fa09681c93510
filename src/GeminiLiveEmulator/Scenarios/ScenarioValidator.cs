using System.Text.Json;
using PhoneAgent.AudioCodec.Wav;
using PhoneAgent.GeminiLiveEmulator.Audio;

namespace PhoneAgent.GeminiLiveEmulator.Scenarios;

/// <summary>Checks a parsed scenario and loads the WAV files it names; every problem names its JSON path.</summary>
internal static class ScenarioValidator
{
    public static void Validate(EmulatorScenario scenario, string baseDirectory, string source)
    {
        var errors = new List<string>();
        for (var i = 0; i < scenario.Turns.Count; i++)
        {
            var turn = scenario.Turns[i];
            CheckReply(turn.Reply, $"turns[{i}].reply", baseDirectory, errors, allowTemplate: false);
            CheckReply(turn.AfterToolResponse, $"turns[{i}].afterToolResponse", baseDirectory, errors, allowTemplate: true);
            if (turn.AfterToolResponse is not null && turn.ToolCalls.Count == 0)
            {
                errors.Add($"turns[{i}].afterToolResponse: the turn has no toolCalls");
            }

            for (var c = 0; c < turn.ToolCalls.Count; c++)
            {
                var call = turn.ToolCalls[c];
                if (string.IsNullOrWhiteSpace(call.Name))
                {
                    errors.Add($"turns[{i}].toolCalls[{c}].name is empty");
                }

                if (call.Args is { } args && args.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"turns[{i}].toolCalls[{c}].args must be a JSON object");
                }
            }

            if (turn.ReplyLatencyMs is < 0)
            {
                errors.Add($"turns[{i}].replyLatencyMs must not be negative");
            }
        }

        for (var i = 0; i < scenario.Otherwise.Count; i++)
        {
            CheckReply(scenario.Otherwise[i], $"otherwise[{i}]", baseDirectory, errors, allowTemplate: false);
        }

        if (scenario.GoAway is { } goAway)
        {
            if ((goAway.AfterSeconds is null) == (goAway.AtTurn is null))
            {
                errors.Add("goAway: set exactly one of afterSeconds and atTurn");
            }

            if (goAway.AfterSeconds is < 0 || goAway.TimeLeftSeconds < 0 || goAway.AtTurn is < 1)
            {
                errors.Add("goAway: afterSeconds and timeLeftSeconds must not be negative, atTurn starts at 1");
            }
        }

        for (var i = 0; i < scenario.Faults.Count; i++)
        {
            CheckFault(scenario.Faults[i], $"faults[{i}]", errors);
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{source}: {string.Join("; ", errors)}.");
        }
    }

    private static void CheckReply(ScenarioReply? reply, string path, string baseDirectory, List<string> errors, bool allowTemplate)
    {
        if (reply is null)
        {
            return;
        }

        var sources = (reply.Clip is null ? 0 : 1) + (reply.Wav is null ? 0 : 1);
        if (sources > 1 || (sources == 0 && string.IsNullOrWhiteSpace(reply.Text)))
        {
            errors.Add($"{path}: give one of clip, wav (with text) or text");
            return;
        }

        if (reply.Clip is { } clip)
        {
            if (!ClipLibrary.Embedded.TryGet(clip, out _))
            {
                errors.Add($"{path}.clip: unknown clip \"{clip}\" (clips: {string.Join(", ", ClipLibrary.Embedded.Ids)})");
            }

            if (reply.Text is not null)
            {
                errors.Add($"{path}: a clip says its own text; drop \"text\"");
            }
        }

        if (reply.Wav is { } wav)
        {
            if (string.IsNullOrWhiteSpace(reply.Text))
            {
                errors.Add($"{path}: a wav needs the text it says");
            }

            try
            {
                var audio = WavFile.Read(Path.Combine(baseDirectory, wav));
                reply.WavSamples = Pcm.To24k(audio.Channels[0], audio.SampleRate);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                errors.Add($"{path}.wav: {e.Message}");
            }
        }

        if (!allowTemplate && reply.Text is { } text && text.Contains('{', StringComparison.Ordinal))
        {
            errors.Add($"{path}.text: placeholders like {{output}} only work in afterToolResponse");
        }
    }

    private static void CheckFault(ScenarioFault fault, string path, List<string> errors)
    {
        if (fault.Kind != ScenarioFaultKind.RefuseResume && (fault.At is null) == (fault.AfterSeconds is null))
        {
            errors.Add($"{path}: set exactly one of at and afterSeconds");
        }

        if (fault.At == ScenarioFaultPoint.Setup && fault.Turn is not null)
        {
            errors.Add($"{path}: a setup fault has no turn");
        }

        if (fault.Code is { } code && (code < 1000 || code > 4999 || code is 1004 or 1005 or 1006 or 1015))
        {
            errors.Add($"{path}.code: {code} cannot be sent in a close frame");
        }

        if (fault.Kind == ScenarioFaultKind.Stall && fault.Seconds <= 0)
        {
            errors.Add($"{path}.seconds: a stall needs a positive length");
        }

        if (fault.Turn is < 1 || fault.Connection is < 1 || fault.AfterSeconds is < 0 || fault.Count < 0)
        {
            errors.Add($"{path}: turn and connection start at 1; afterSeconds and count must not be negative");
        }
    }
}
