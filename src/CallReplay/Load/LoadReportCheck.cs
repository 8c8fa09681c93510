using System.Globalization;
using System.Text.Json;

namespace PhoneAgent.CallReplay.Load;

/// <summary>
/// The smoke check of a written load report (<c>load-report.json</c>): what a short load run in CI must show whatever
/// the machine, namely that calls worked and were measured. Failed calls, lost or dropped frames and missing
/// percentiles are problems; the verdict's latency limits and an INVALID verdict (the generator, not the server, was
/// the limit: a busy CI machine) are only notes, since a shared machine cannot hold them.
/// </summary>
public static class LoadReportCheck
{
    private static readonly string[] Percentiles = ["p50", "p90", "p95", "p99", "max"];

    /// <summary>Checks the report at <paramref name="path"/> (the JSON file or the report folder).</summary>
    /// <param name="path">The report.</param>
    /// <param name="minCompleted">How many calls must have completed.</param>
    /// <exception cref="InvalidDataException">The file is missing or not a load report.</exception>
    public static LoadReportCheckResult Run(string path, int minCompleted)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, LoadReportWriter.JsonFile) : path;
        if (!File.Exists(file))
        {
            throw new InvalidDataException($"{file}: no load report.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return Check(document.RootElement, minCompleted);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{file}: not a load report ({e.Message}).", e);
        }
    }

    /// <summary>Checks a parsed report.</summary>
    public static LoadReportCheckResult Check(JsonElement report, int minCompleted)
    {
        var problems = new List<string>();
        var notes = new List<string>();
        var ci = CultureInfo.InvariantCulture;

        if (report.GetProperty("interrupted").GetBoolean())
        {
            problems.Add("the run was interrupted");
        }

        var calls = report.GetProperty("calls");
        var failed = calls.GetProperty("failed").GetInt32();
        if (failed != 0)
        {
            var reasons = calls.GetProperty("failureReasons").EnumerateObject().Select(r => $"{r.Value.GetInt32()} x {r.Name}");
            problems.Add($"{failed} failed call(s): {string.Join("; ", reasons)}");
        }

        var completed = calls.GetProperty("completed").GetInt32();
        if (completed < minCompleted)
        {
            problems.Add($"{completed} call(s) completed, fewer than {minCompleted}");
        }

        var invalid = report.GetProperty("generator").GetProperty("invalid").GetBoolean();
        CheckFrames(report, invalid, problems, notes);

        var latency = report.GetProperty("latency");
        RequirePercentiles("latency.setupMs", latency.GetProperty("setupMs"), problems);
        RequirePercentiles("latency.responseMs", latency.GetProperty("responseMs"), problems);
        RequirePercentiles("generator.latenessMs", report.GetProperty("generator").GetProperty("latenessMs"), problems);
        foreach (var name in new[] { "bargeInMs", "underrunMs" })
        {
            // Present even with no values: a run may have no barge-in or no underrun at all.
            if (!latency.TryGetProperty(name, out var stats) || !stats.TryGetProperty("p99", out _))
            {
                problems.Add($"latency.{name}.p99 missing");
            }
        }

        var verdict = report.GetProperty("verdict");
        var status = verdict.GetProperty("status").GetString();
        if (status != VerdictStatus.Pass)
        {
            var reasons = verdict.GetProperty("reasons").EnumerateArray().Select(r => r.GetString());
            notes.Add($"verdict {status} (not a smoke failure: {(status == VerdictStatus.Invalid ? "the generator was the limit" : "a latency limit this machine may not hold")}): {string.Join("; ", reasons)}");
        }

        var setup = latency.GetProperty("setupMs");
        var response = latency.GetProperty("responseMs");
        var summary = string.Create(ci, $"verdict {status}; calls {calls.GetProperty("started").GetInt32()} started, {completed} completed, {failed} failed, {calls.GetProperty("cut").GetInt32()} cut at the end; "
            + $"set-up p50 {Number(setup, "p50")} ms, response p50 {Number(response, "p50")} p95 {Number(response, "p95")} p99 {Number(response, "p99")} ms; "
            + $"generator lateness p99 {Number(report.GetProperty("generator").GetProperty("latenessMs"), "p99")} ms");
        return new LoadReportCheckResult(problems, notes, summary);
    }

    /// <remarks>
    /// Frames that vanished (announced by a mark and never received, sent and never counted, overflowing the caller's
    /// buffer) are problems on any machine. Frames the server itself shed because its reader fell behind are problems
    /// only when the run is valid: when the generator was late, it sent its late frames in bursts on a starved machine,
    /// and shedding the oldest is what the server is designed to do then.
    /// </remarks>
    private static void CheckFrames(JsonElement report, bool invalid, List<string> problems, List<string> notes)
    {
        var frames = report.GetProperty("frames");
        var lost = frames.GetProperty("serverToCallerLost");
        if (lost.ValueKind != JsonValueKind.Number)
        {
            problems.Add("agent frames lost: not measured (no PhoneAgent marks heard)");
        }
        else if (lost.GetInt64() != 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{lost.GetInt64()} agent frame(s) announced by the marks never reached the caller"));
        }

        if (frames.GetProperty("serverToCallerOverflowed").GetInt64() is var overflowed and not 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{overflowed} agent frame(s) overflowed the caller's buffer"));
        }

        foreach (var drop in frames.GetProperty("serverDrops").EnumerateObject().Where(d => d.Value.GetDouble() > 0))
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"the server dropped {drop.Value.GetDouble():0} frame(s): {drop.Name}");
            (invalid ? notes : problems).Add(invalid ? $"{text} (not judged: the generator was the limit)" : text);
        }

        var sent = frames.GetProperty("callerToServerSent").GetInt64();
        var counted = frames.GetProperty("callerToServerCountedByServer");
        if (counted.ValueKind == JsonValueKind.Number && counted.GetDouble() < sent)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"caller frames lost: {sent} sent, {counted.GetDouble():0} counted by the server"));
        }
        else if (counted.ValueKind != JsonValueKind.Number && report.GetProperty("serverMetrics").GetProperty("available").GetBoolean())
        {
            problems.Add("caller frames counted by the server: missing although /metrics answered");
        }
    }

    private static void RequirePercentiles(string name, JsonElement stats, List<string> problems)
    {
        if (stats.GetProperty("count").GetInt32() <= 0)
        {
            problems.Add($"{name}: no values");
            return;
        }

        foreach (var p in Percentiles)
        {
            if (!stats.TryGetProperty(p, out var value) || value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()) || value.GetDouble() < 0)
            {
                problems.Add($"{name}.{p} missing ({(value.ValueKind == JsonValueKind.Undefined ? "absent" : value.GetRawText())})");
            }
        }
    }

    private static string Number(JsonElement stats, string name) =>
        stats.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.##", CultureInfo.InvariantCulture) : "n/a";
}

/// <summary>What <see cref="LoadReportCheck"/> found: <see cref="Problems"/> fail the check, <see cref="Notes"/> do not.</summary>
public sealed record LoadReportCheckResult(IReadOnlyList<string> Problems, IReadOnlyList<string> Notes, string Summary)
{
    public bool Ok => Problems.Count == 0;
}
