using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Default: three launches (separate processes), each warmed up, so the reported median spans three runs.
// With --job on the command line (e.g. the test script's `--job Dry`), that job is used instead.
var config = (args.Contains("--job")
    ? DefaultConfig.Instance
    : DefaultConfig.Instance.AddJob(Job.Default.WithLaunchCount(3).WithWarmupCount(6).WithIterationCount(15).AsDefault()))
    .AddColumn(StatisticColumn.Median);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
