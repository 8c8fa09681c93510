using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Model;
using PhoneAgent.Tools;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tests.Tools;

public sealed class ToolInvokerTests
{
    private static readonly JsonElement NoArguments = JsonDocument.Parse("{}").RootElement;
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<ModelToolResult> _answers = new();
    private readonly ConcurrentQueue<bool> _cue = new();
    private readonly ConcurrentQueue<(string, ToolCallOutcome)> _outcomes = new();
    private readonly TestTool _tool = new();
    private readonly Control _control = new();

    [Fact]
    public async Task Output_is_answered_once()
    {
        await using var invoker = NewInvoker();
        _tool.Behaviour = (_, _) => Task.FromResult(ToolResult.Success("done"));

        invoker.Invoke("c1", TestTool.Name, NoArguments);
        invoker.Invoke("c1", TestTool.Name, NoArguments); // the same id again

        var answer = await NextAnswerAsync();
        Assert.Equal("c1", answer.CallId);
        Assert.Equal("done", answer.Output!.Value.GetString());
        await Task.Delay(100);
        Assert.Empty(_answers);
        Assert.Equal(1, _tool.Invocations);
        Assert.Equal([(TestTool.Name, ToolCallOutcome.Success)], _outcomes);
    }

    [Fact]
    public async Task Timeout_answers_a_model_readable_error_even_when_the_handler_ignores_its_token()
    {
        await using var invoker = NewInvoker();
        var never = new TaskCompletionSource<ToolResult>();
        _tool.Behaviour = (_, _) => never.Task;

        invoker.Invoke("c1", TestTool.Name, NoArguments);
        await WaitUntilAsync(() => _tool.Invocations == 1);
        _time.Advance(TestTool.Timeout);

        var answer = await NextAnswerAsync();
        Assert.Contains("did not answer within 2 seconds", answer.Error, StringComparison.Ordinal);
        never.SetResult(ToolResult.Success("late"));
        await Task.Delay(100);
        Assert.Empty(_answers);
        Assert.Contains((TestTool.Name, ToolCallOutcome.Timeout), _outcomes);
    }

    [Fact]
    public async Task An_exception_becomes_an_error_the_model_can_explain()
    {
        await using var invoker = NewInvoker();
        _tool.Behaviour = (_, _) => throw new InvalidOperationException("connection string Server=secret");
        invoker.Invoke("c1", TestTool.Name, NoArguments);
        var failed = await NextAnswerAsync();
        Assert.Equal("The tool test_tool failed (InvalidOperationException). Tell the caller it is not available right now.", failed.Error);

        _tool.Behaviour = (_, _) => throw new ToolException("The order number was not found.");
        invoker.Invoke("c2", TestTool.Name, NoArguments);
        Assert.Equal("The order number was not found.", (await NextAnswerAsync()).Error);
    }

    [Fact]
    public async Task A_cancelled_call_is_never_answered_and_its_token_fires()
    {
        await using var invoker = NewInvoker();
        var observed = new TaskCompletionSource();
        _tool.Behaviour = async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                observed.SetResult();
            }

            return ToolResult.Success("after cancel");
        };

        invoker.Invoke("c1", TestTool.Name, NoArguments);
        await WaitUntilAsync(() => _tool.Invocations == 1);
        invoker.Cancel(["c1"]);

        await observed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.Empty(_answers);
        invoker.Invoke("c1", TestTool.Name, NoArguments); // a cancelled id stays dead
        await Task.Delay(50);
        Assert.Empty(_answers);
        Assert.Contains((TestTool.Name, ToolCallOutcome.Cancelled), _outcomes);
    }

    [Fact]
    public async Task Hang_up_cancels_every_running_call_without_answers()
    {
        await using var invoker = NewInvoker();
        _tool.Behaviour = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ToolResult.Success("x");
        };
        invoker.Invoke("c1", TestTool.Name, NoArguments);
        invoker.Invoke("c2", TestTool.Name, NoArguments);
        await WaitUntilAsync(() => _tool.Invocations == 2);

        invoker.CancelAll();

        await Task.Delay(100);
        Assert.Empty(_answers);
        Assert.Equal(0, invoker.Running);
    }

    [Fact]
    public async Task A_tool_the_profile_does_not_enable_gets_an_error()
    {
        await using var invoker = NewInvoker();
        invoker.Invoke("c1", "drop_database", NoArguments);
        var answer = await NextAnswerAsync();
        Assert.Contains("no tool named 'drop_database'", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hold_cue_plays_while_a_blocking_tool_runs_past_its_delay()
    {
        await using var invoker = NewInvoker();
        var result = new TaskCompletionSource<ToolResult>();
        _tool.Behaviour = (_, _) => result.Task;
        invoker.Invoke("c1", TestTool.Name, NoArguments);
        await WaitUntilAsync(() => _tool.Invocations == 1);

        _time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.Empty(_cue);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([true], _cue);

        result.SetResult(ToolResult.Success("ok"));
        await NextAnswerAsync();
        Assert.Equal([true, false], _cue);
    }

    [Fact]
    public async Task End_call_answers_at_once_and_arms_the_hang_up()
    {
        var registry = new ToolRegistry([new EndCallTool()]);
        await using var invoker = new ToolInvoker(registry, [EndCallTool.Name], Context(), _time, TimeSpan.FromSeconds(1.5), Callbacks(), NullLogger.Instance);
        invoker.Invoke("c1", EndCallTool.Name, JsonDocument.Parse("""{"reason":"question answered"}""").RootElement);

        var answer = await NextAnswerAsync();
        Assert.Equal(EndCallTool.Answer, answer.Output!.Value.GetString());
        Assert.Equal(["question answered"], _control.Armed);
    }

    private ToolInvoker NewInvoker() =>
        new(new ToolRegistry([_tool]), [TestTool.Name], Context(), _time, TimeSpan.FromMilliseconds(1500), Callbacks(), NullLogger.Instance);

    private ToolCallContext Context() => new("CA1", "test", "+15550001111", _control);

    private ToolInvokerCallbacks Callbacks() => new(_answers.Enqueue, _cue.Enqueue, (name, outcome) => _outcomes.Enqueue((name, outcome)));

    private async Task<ModelToolResult> NextAnswerAsync()
    {
        await WaitUntilAsync(() => !_answers.IsEmpty);
        Assert.True(_answers.TryDequeue(out var answer));
        return answer;
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

    private sealed class Control : ICallControl
    {
        public List<string> Armed { get; } = [];

        public void ArmHangup(string reason) => Armed.Add(reason);

        public void ArmTransfer(PhoneAgent.Calls.NextAction.Transfer transfer) => Armed.Add("transfer: " + transfer.Target);
    }

    private sealed class TestTool : IToolHandler
    {
        public const string Name = "test_tool";
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
        private int _invocations;

        public Func<ToolInvocation, CancellationToken, Task<ToolResult>> Behaviour { get; set; } = (_, _) => Task.FromResult(ToolResult.Success("ok"));

        public int Invocations => Volatile.Read(ref _invocations);

        public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(Name, "A test tool.", """{"type":"object","properties":{}}""") with { Timeout = Timeout };

        public ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _invocations);
            return new ValueTask<ToolResult>(Behaviour(invocation, cancellationToken));
        }
    }
}
