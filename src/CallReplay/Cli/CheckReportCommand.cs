using System.CommandLine;
using PhoneAgent.CallReplay.Load;

namespace PhoneAgent.CallReplay.Cli;

/// <summary><c>CallReplay check-report DIR</c>: the smoke check of a load report (CI: <c>bench/load/smoke.sh</c>).</summary>
internal static class CheckReportCommand
{
    public static Command Create()
    {
        var report = new Argument<string>("report") { Description = "The load report: its folder or its load-report.json." };
        var minCompleted = new Option<int>("--min-completed") { Description = "How many calls must have completed.", DefaultValueFactory = _ => 1 };
        var command = new Command("check-report", "Check a load report as a smoke test: no failed call, no lost or dropped frame, every latency's percentiles present. "
            + "The verdict's latency limits and INVALID (the generator was the limit) are printed, not failed. Exit code: 0 ok, 1 problems, 2 no report.")
        {
            report, minCompleted,
        };
        command.SetAction(async parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            LoadReportCheckResult result;
            try
            {
                result = LoadReportCheck.Run(parse.GetValue(report)!, parse.GetValue(minCompleted));
            }
            catch (InvalidDataException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return 2;
            }

            await output.WriteLineAsync(result.Summary);
            foreach (var note in result.Notes)
            {
                await output.WriteLineAsync($"note: {note}");
            }

            foreach (var problem in result.Problems)
            {
                await output.WriteLineAsync($"problem: {problem}");
            }

            await output.WriteLineAsync(result.Ok ? "smoke check ok" : "SMOKE CHECK FAILED");
            return result.Ok ? 0 : 1;
        });
        return command;
    }
}
