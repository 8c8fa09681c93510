using System.CommandLine;
using PhoneAgent.CallReplay.Cli;

namespace PhoneAgent.CallReplay;

/// <summary>The command line: it only wires System.CommandLine to the commands (the core lives in the library types).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("CallReplay: places phone calls into PhoneAgent exactly as Twilio does, from recordings of callers.")
        {
            CallCommand.Create(),
            SegmentCommand.Create(),
            LoadCommand.Create(),
            CheckReportCommand.Create(),
        };

        // Ctrl+C cancels the command's token; `load` then ends its calls and writes its report, which takes longer than
        // System.CommandLine's default 2 s grace before it ends the process.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
    }
}
