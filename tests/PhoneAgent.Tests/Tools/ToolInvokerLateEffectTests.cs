using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Calls;
using PhoneAgent.Model;
using PhoneAgent.Tools;

namespace PhoneAgent.Tests.Tools;

/// <summary>
/// Tool calls whose answer can no longer be delivered (cancelled, their model connection replaced, timed out, the call
/// over): never answered, but a handler that committed anyway is reported once with its effect.
/// </summary>
public sealed class ToolInvokerLateEffectTests
{
    private const string Effect = "refunded 25.00 USD on order A1001";
    private static readonly JsonElement NoArguments = JsonDocument.Parse("{}").RootElement;
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<ModelToolResult> _answers = new();
    private readonly ConcurrentQueue<ToolLateEffect> _late = new();
    private readonly SlowCommitTool _tool = new();

    [Theory]
    [InlineData("ConnectionLost")]
    [InlineData("Model")]
    public async Task A_cancelled_call_that_commits_anyway_is_reported_and_never_answered(string causeName)
    {
        var cause = Enum.Parse<ToolCancelCause>(causeName);
        await using var invoker = NewInvoker();
        invoker.Invoke("fc1", SlowCommitTool.Name, NoArguments);
        await _tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        invoker.Cancel(["fc1"], cause);
        await _tool.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        _tool.Finish.SetResult(ToolResult.Success("done") with { Effect = Effect });

        var late = await NextLateAsync();
        Assert.Equal(new ToolLateEffect("fc1", SlowCommitTool.Name, Effect, cause), late);
        await Task.Delay(100);
        Assert.Empty(_answers);
        Assert.Empty(_late);
    }

    [Fact]
    public async Task A_cancelled_call_that_changed_nothing_is_not_reported()
    {
        await using var invoker = NewInvoker();
        invoker.Invoke("fc1", SlowCommitTool.Name, NoArguments);
        await _tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        invoker.Cancel(["fc1"], ToolCancelCause.ConnectionLost);
        _tool.Finish.SetResult(ToolResult.Success("rolled back"));
        await Task.Delay(200);

        Assert.Empty(_late);
        Assert.Empty(_answers);
    }

    [Fact]
    public async Task A_handler_that_honours_its_token_is_not_reported()
    {
        await using var invoker = NewInvoker();
        _tool.HonourToken = true;
        invoker.Invoke("fc1", SlowCommitTool.Name, NoArguments);
        await _tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        invoker.Cancel(["fc1"], ToolCancelCause.ConnectionLost);
        await _tool.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(200);

        Assert.Empty(_late);
        Assert.Empty(_answers);
    }

    [Fact]
    public async Task A_call_that_commits_after_its_timeout_answer_is_reported_too()
    {
        await using var invoker = NewInvoker();
        invoker.Invoke("fc1", SlowCommitTool.Name, NoArguments);
        await _tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        _time.Advance(SlowCommitTool.Timeout);
        await WaitUntilAsync(() => !_answers.IsEmpty);
        _tool.Finish.SetResult(ToolResult.Success("done") with { Effect = Effect });

        Assert.Equal(new ToolLateEffect("fc1", SlowCommitTool.Name, Effect, ToolCancelCause.Timeout), await NextLateAsync());
        Assert.Contains("did not answer within", Assert.Single(_answers).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_that_commits_after_the_hang_up_is_reported_as_call_ended()
    {
        var invoker = NewInvoker();
        invoker.Invoke("fc1", SlowCommitTool.Name, NoArguments);
        await _tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        invoker.CancelAll();
        _tool.Finish.SetResult(ToolResult.Success("done") with { Effect = Effect });
        await invoker.DisposeAsync();

        Assert.Equal(ToolCancelCause.CallEnded, (await NextLateAsync()).Cause);
    }

    private ToolInvoker NewInvoker() =>
        new(new ToolRegistry([_tool]), [SlowCommitTool.Name], new ToolCallContext("CA1", "test", null, new NoControl()), _time, null, new ToolInvokerCallbacks(_answers.Enqueue, LateEffect: _late.Enqueue), NullLogger.Instance);

    private async Task<ToolLateEffect> NextLateAsync()
    {
        await WaitUntilAsync(() => !_late.IsEmpty);
        Assert.True(_late.TryDequeue(out var late));
        return late;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(5);
        }
    }

    private sealed class NoControl : ICallControl
    {
        public void ArmHangup(string reason) => throw new InvalidOperationException("not expected");

        public void ArmTransfer(NextAction.Transfer transfer) => throw new InvalidOperationException("not expected");
    }

    /// <summary>Runs until the test finishes it; by default it ignores its token (as a commit already under way would).</summary>
    private sealed class SlowCommitTool : IToolHandler
    {
        public const string Name = "slow_commit";
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

        public bool HonourToken { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<ToolResult> Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(Name, "A slow committing tool.", """{"type":"object","properties":{}}""") with { Timeout = Timeout };

        public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
            Started.TrySetResult();
            try
            {
                return HonourToken ? await Finish.Task.WaitAsync(cancellationToken) : await Finish.Task;
            }
            catch (OperationCanceledException)
            {
                // WaitAsync's own registration may resume this method (and drop ours) before ours has run.
                Cancelled.TrySetResult();
                throw;
            }
        }
    }
}
