using System.Globalization;
using PhoneAgent.CallReplay.Load;
using Spectre.Console;

namespace PhoneAgent.CallReplay.Cli;

/// <summary>
/// The load tool's progress: a live Spectre.Console table on a terminal (calls active, completed, failed, running
/// p50/p95 latencies, generator lateness, CPU), plain lines every few seconds when output is not a terminal.
/// </summary>
internal static class LoadLiveView
{
    /// <summary>Whether stdout is an interactive terminal Spectre.Console can redraw.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;

    /// <summary>Shows <paramref name="runner"/>'s progress until <paramref name="run"/> completes.</summary>
    public static async Task ShowAsync(LoadRunner runner, Task run, TextWriter plain, bool interactive, TimeSpan plainInterval)
    {
        if (interactive)
        {
            await AnsiConsole.Live(Render(runner.Progress(), runner.Options)).AutoClear(false).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(500));
                    context.UpdateTarget(Render(runner.Progress(), runner.Options));
                    context.Refresh();
                }
            });
            return;
        }

        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(plainInterval));
            await plain.WriteLineAsync(Line(runner.Progress()));
            await plain.FlushAsync();
        }
    }

    /// <summary>One plain progress line.</summary>
    public static string Line(LoadProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"[{p.Elapsed.TotalSeconds,5:0}s] active {p.Active}, started {p.Started}, completed {p.Completed}, failed {p.Failed}{(p.Canceled > 0 ? $", canceled {p.Canceled}" : "")}; " +
        $"response p50 {Ms(p.Response.P50, p.Response.Count)} p95 {Ms(p.Response.P95, p.Response.Count)}; set-up p50 {Ms(p.Setup.P50, p.Setup.Count)} p95 {Ms(p.Setup.P95, p.Setup.Count)}; " +
        $"generator lateness p99 {Ms(p.LatenessP99Ms ?? double.NaN, p.LatenessP99Ms is null ? 0 : 1, "0.0")}; CPU generator {Cores(p.GeneratorCores)} server {Cores(p.ServerCores)} emulator {Cores(p.EmulatorCores)}");

    private static Table Render(LoadProgress p, LoadOptions options)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"CallReplay load: {Markup.Escape(options.Describe())}");
        table.AddColumn("elapsed");
        table.AddColumn("active");
        table.AddColumn("completed");
        table.AddColumn("failed");
        table.AddColumn("response p50 / p95");
        table.AddColumn("set-up p50 / p95");
        table.AddColumn("gen. lateness p99");
        table.AddColumn("CPU gen / server / emu");
        var late = p.LatenessP99Ms is { } l && l > options.MaxGeneratorLateness.TotalMilliseconds ? "[red]" : "[green]";
        table.AddRow(
            new Markup(string.Create(CultureInfo.InvariantCulture, $"{p.Elapsed:hh\\:mm\\:ss}")),
            new Markup($"[bold]{p.Active}[/]"),
            new Markup($"{p.Completed}"),
            new Markup(p.Failed > 0 ? $"[red]{p.Failed}[/]" : "0"),
            new Markup($"{Ms(p.Response.P50, p.Response.Count)} / {Ms(p.Response.P95, p.Response.Count)}"),
            new Markup($"{Ms(p.Setup.P50, p.Setup.Count)} / {Ms(p.Setup.P95, p.Setup.Count)}"),
            new Markup(p.LatenessP99Ms is null ? "-" : $"{late}{Ms(p.LatenessP99Ms.Value, 1, "0.0")}[/]"),
            new Markup($"{Cores(p.GeneratorCores)} / {Cores(p.ServerCores)} / {Cores(p.EmulatorCores)}"));
        return table;
    }

    private static string Ms(double value, int count, string format = "0") =>
        count == 0 || double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture) + " ms";

    private static string Cores(double? cores) => cores is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
