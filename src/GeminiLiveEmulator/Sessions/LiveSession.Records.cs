using System.Text;
using PhoneAgent.GeminiLiveEmulator.Audio;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Sessions;

/// <summary>How client messages and the accepted setup appear in the session log.</summary>
internal sealed partial class LiveSession
{
    private void RecordReceived(ClientMessage message)
    {
        switch (message)
        {
            case SetupMessage setup:
                _recorder.Received(message.Kind, $"model {setup.Setup.Model}; fields {string.Join(", ", setup.Setup.Fields)}");
                break;
            case RealtimeInputMessage { Audio: { } audio }:
                _recorder.ReceivedAudio(message.Kind, audio.Pcm.Length, audio.SampleRate, audio.MimeType);
                break;
            case RealtimeInputMessage input:
                _recorder.Received(message.Kind, input.Text is { } text ? $"\"{text}\"" : input.VideoBytes is { } video ? $"{video} B" : "");
                break;
            case ClientContentMessage content:
                _recorder.Received(message.Kind, string.Join(" ", content.Turns.Select(t => $"[{t.Role ?? "(no role)"}] \"{t.Text}\"")) + $" turnComplete={content.TurnComplete.ToString().ToLowerInvariant()}");
                break;
            case ToolResponseMessage response:
                _recorder.Received(message.Kind, string.Join("; ", response.Responses.Select(r =>
                    $"id={r.Id ?? "(none)"} name={r.Name ?? "(none)"} response={Shorten(r.Response.GetRawText())}{(r.Scheduling is { } s ? $" scheduling={s}" : "")}")));
                break;
        }
    }

    private string Describe(SessionSetup setup)
    {
        var vad = setup.RealtimeInput.AutomaticActivityDetection ? $"automatic ({VadSettings.From(setup.RealtimeInput)})" : "manual (activityStart/activityEnd)";
        var handling = setup.RealtimeInput.NoInterruption ? "NO_INTERRUPTION" : "START_OF_ACTIVITY_INTERRUPTS";
        var tools = setup.Functions.Count == 0 ? "none" : string.Join(", ", setup.Functions.Select(f => f.NonBlocking ? f.Name + " (NON_BLOCKING)" : f.Name));
        return $"{_flavor.Name}, model {_modelId}, output {(_audioOutput ? "AUDIO" : "TEXT")}, voice activity {vad}, {handling}, tools {tools}, "
            + $"transcription in={setup.InputTranscription} out={setup.OutputTranscription}, resumption {(setup.SessionResumption ? "on" : "off")}";
    }

    private static string Preview(ReadOnlySpan<byte> payload)
    {
        var text = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 160)]);
        return $"{payload.Length} B: {text.ReplaceLineEndings(" ")}";
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
