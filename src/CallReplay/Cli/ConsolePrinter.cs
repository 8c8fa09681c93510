using System.Globalization;
using PhoneAgent.CallReplay.Calls;

namespace PhoneAgent.CallReplay.Cli;

/// <summary>Prints a call as it happens, one line per event, and a summary at the end.</summary>
internal sealed class ConsolePrinter(TextWriter output, bool verbose)
{
    private readonly Lock _lock = new();

    public void OnEvent(TimelineEvent e)
    {
        if (!verbose && e.Kind is TimelineKinds.MarkReceived or TimelineKinds.MarkEchoed)
        {
            return;
        }

        var label = e.Kind switch
        {
            TimelineKinds.Webhook or TimelineKinds.Callback or TimelineKinds.RestRequest => "twilio",
            TimelineKinds.Twiml or TimelineKinds.Verb => "twiml",
            TimelineKinds.CallerSpeechStart or TimelineKinds.CallerSpeechEnd or TimelineKinds.Dtmf => "caller",
            TimelineKinds.AgentAudioStart or TimelineKinds.AgentAudioStop or TimelineKinds.AgentInterrupted or TimelineKinds.Clear or TimelineKinds.Underrun => "agent",
            TimelineKinds.ResponseLatency => "latency",
            TimelineKinds.Transfer => "transfer",
            TimelineKinds.Warning => "WARNING",
            TimelineKinds.CallEnded => "end",
            TimelineKinds.MarkReceived or TimelineKinds.MarkEchoed => "mark",
            _ => "stream",
        };
        lock (_lock)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.At.TotalSeconds,8:0.000}s  {label,-8} {e.Text}"));
        }
    }

    public void PrintSummary(CallResult result, string? heardPath, string? timelinePath)
    {
        var m = result.Measurements;
        var w = output;
        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Call {result.CallSid}: {result.EndReason} after {result.Duration.TotalSeconds:0.0} s{(result.Error is null ? "" : $" ({result.Error})")}"));
        foreach (var s in result.Streams)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stream {s.Number} {s.StreamSid}: {s.EndedBy}, {s.MediaFramesSent} frames sent ({s.MediaFramesSuppressed} suppressed), {s.MarksReceived} marks ({s.MarksEchoedPlayed} played, {s.MarksEchoedCleared} cleared), {s.Clears} clear(s), max buffered {s.MaxBuffered.TotalMilliseconds:0} ms"));
        }

        foreach (var t in result.AgentTurns)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  agent turn {t.Number}{(t.Tag is null ? "" : $" (tag {t.Tag})")}: heard {t.Heard.TotalSeconds:0.00} s from {t.Start.TotalSeconds:0.000} s{(t.Interrupted ? $", interrupted ({t.Dropped.TotalMilliseconds:0} ms dropped)" : "")}{(t.CutByStreamEnd ? ", cut by the end of the stream" : "")}{(t.Underruns.Count > 0 ? $", {t.Underruns.Count} underrun(s)" : "")}"));
        }

        foreach (var r in m.Responses)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  utterance {r.Utterance + 1}{(r.Text.Length > 0 ? $" \"{r.Text}\"" : "")}: {(r.Latency is { } l ? $"answered in {l.TotalMilliseconds:0} ms (agent turn {r.AgentTurn})" : "no answer before the next utterance")}"));
        }

        foreach (var b in m.BargeIns)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  barge-in at {b.SpeechStart.TotalSeconds:0.000} s over agent turn {b.AgentTurn}: {(b.Stopped ? $"agent stopped after {b.Latency.TotalMilliseconds:0} ms" : $"agent played on for {b.Latency.TotalMilliseconds:0} ms")}"));
        }

        foreach (var t in result.Transfers)
        {
            w.WriteLine($"  {t}");
        }

        if (m.SetupTime is { } setup)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  set-up (webhook → first agent audio heard): {setup.TotalMilliseconds:0} ms"));
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  caller frames: {m.MediaFramesSent} sent, send lateness p50 {m.SendLateness.P50.TotalMilliseconds:0.0} ms, p99 {m.SendLateness.P99.TotalMilliseconds:0.0} ms, max {m.SendLateness.Max.TotalMilliseconds:0.0} ms"));
        foreach (var warning in result.Warnings)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warning {warning.Code}: {warning.Message}"));
        }

        foreach (var c in result.Callbacks)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  callback {c.Kind} {c.Event} → {(c.StatusCode == 0 ? c.Error : c.StatusCode.ToString(CultureInfo.InvariantCulture))}"));
        }

        if (heardPath is not null)
        {
            w.WriteLine($"  what the caller heard: {heardPath}");
        }

        if (timelinePath is not null)
        {
            w.WriteLine($"  timeline: {timelinePath}");
        }
    }
}
