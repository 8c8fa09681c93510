using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Data;
using PhoneAgent.Tests.Data.Testing;

namespace PhoneAgent.Tests.Calls;

/// <summary>
/// The call store semantics several instances rely on (idempotent create, CAS issue, single-use claim, first writer
/// wins), run against every implementation: in memory, SQLite and PostgreSQL.
/// </summary>
public abstract class CallStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Now);

    private protected ICallStore Store { get; private set; } = null!;

    private protected abstract Task<ICallStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    /// <summary>The database behind the store, when there is one (disposed after each test).</summary>
    private protected PhoneAgentDatabase? Database { get; set; }

    public async Task DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Create_is_idempotent_on_call_sid()
    {
        var first = await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", "+1", "+2", "support", Now, "TN-Validation-Passed-A"), default);
        var second = await Store.GetOrCreateAsync(new NewCall("CA1", "AC9", "+9", "+9", "sales", Now.AddSeconds(5)), default);

        Assert.Equal(first, second with { StatusHistory = first.StatusHistory, Streams = first.Streams, Transcript = first.Transcript });
        Assert.Equal(("AC1", "+1", "+2", "support", Now, "TN-Validation-Passed-A"), (second.AccountSid, second.From, second.To, second.Profile, second.CreatedAt, second.CallerAttestation));
        Assert.Equal(1, second.Version);
    }

    [SkippableFact]
    public async Task A_stream_token_is_claimed_exactly_once_under_contention()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        var claims = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () => await Store.ClaimStreamAsync("CA1", 1, "MZ" + i, Now, default))));

        Assert.Single(claims, c => c == StreamClaim.Claimed);
        Assert.All(claims.Where(c => c != StreamClaim.Claimed), c => Assert.Equal(StreamClaim.AlreadyClaimed, c));
        var stream = (await Store.FindAsync("CA1", default))!.CurrentStream!;
        Assert.Equal(Now, stream.ClaimedAt);
        Assert.StartsWith("MZ", stream.StreamSid, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_is_a_compare_and_set_on_the_current_ordinal()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);

        Assert.NotNull(await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default));
        var refreshed = await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(3), default); // retried webhook: refresh
        Assert.Equal(Now.AddMinutes(3), refreshed!.ExpiresAt);
        Assert.Null(await Store.IssueStreamAsync("CA1", 3, Now, Now.AddMinutes(2), default)); // skips an ordinal
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await Store.IssueStreamAsync("CA1", 2, Now, Now.AddMinutes(2), default))));
        Assert.All(results, r => Assert.NotNull(r)); // the same stream 2, issued or refreshed
        var call = (await Store.FindAsync("CA1", default))!;
        Assert.Equal([1, 2], call.Streams.Select(s => s.Ordinal));
        Assert.Equal(Now.AddMinutes(3), call.Streams[0].ExpiresAt);

        await Store.ClaimStreamAsync("CA1", 2, "MZ2", Now, default);
        Assert.Null(await Store.IssueStreamAsync("CA1", 2, Now, Now.AddMinutes(2), default)); // claimed: no refresh
        Assert.Equal(StreamClaim.Superseded, await Store.ClaimStreamAsync("CA1", 1, "MZ1", Now, default));
        Assert.Null(await Store.IssueStreamAsync("CA404", 1, Now, Now.AddMinutes(2), default));
    }

    [SkippableFact]
    public async Task Expired_unknown_and_unissued_streams_are_refused()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        Assert.Equal(StreamClaim.Expired, await Store.ClaimStreamAsync("CA1", 1, "MZ1", Now.AddMinutes(3), default));
        Assert.Equal(StreamClaim.NotIssued, await Store.ClaimStreamAsync("CA1", 2, "MZ1", Now, default));
        Assert.Equal(StreamClaim.UnknownCall, await Store.ClaimStreamAsync("CA404", 1, "MZ1", Now, default));
    }

    [SkippableFact]
    public async Task Next_action_stream_end_and_end_reason_are_first_writer_wins()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        Assert.True(await Store.TrySetNextActionAsync("CA1", 1, new NextAction.Hangup("goodbye"), default));
        Assert.False(await Store.TrySetNextActionAsync("CA1", 1, new NextAction.Reconnect("late"), default));
        Assert.False(await Store.TrySetNextActionAsync("CA1", 7, new NextAction.Reconnect("no such stream"), default));
        await Store.EndStreamAsync("CA1", 1, StreamEndReason.ClosedByServer, Now, default);
        await Store.EndStreamAsync("CA1", 1, StreamEndReason.SocketLost, Now.AddSeconds(1), default);
        Assert.True(await Store.TrySetEndReasonAsync("CA1", "hangup:goodbye", Now, default));
        Assert.False(await Store.TrySetEndReasonAsync("CA1", "other", Now.AddSeconds(1), default));
        Assert.False(await Store.TrySetEndReasonAsync("CA404", "other", Now, default));

        var call = (await Store.FindAsync("CA1", default))!;
        Assert.Equal(new NextAction.Hangup("goodbye"), call.CurrentStream!.NextAction);
        Assert.Equal(StreamEndReason.ClosedByServer, call.CurrentStream.EndReason);
        Assert.Equal(Now, call.CurrentStream.EndedAt);
        Assert.Equal("hangup:goodbye", call.EndReason);
        Assert.Equal(Now, call.EndedAt);
        Assert.True(call.Version > 1);
    }

    [SkippableFact]
    public async Task Concurrent_next_actions_have_exactly_one_winner()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        var wins = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await Store.TrySetNextActionAsync("CA1", 1, new NextAction.Fallback("writer " + i), default))));

        Assert.Single(wins, w => w);
        var winner = Array.IndexOf(wins, true);
        Assert.Equal(new NextAction.Fallback("writer " + winner), (await Store.FindAsync("CA1", default))!.CurrentStream!.NextAction);
    }

    [SkippableFact]
    public async Task A_transfer_round_trips_with_its_kind_target_and_timeout()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await Store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);
        var transfer = new NextAction.Transfer("connect_to_human", TransferAction.Enqueue, "support-queue", TimeSpan.FromSeconds(90));

        Assert.True(await Store.TrySetNextActionAsync("CA1", 1, transfer, default));

        Assert.Equal(transfer, (await Store.FindAsync("CA1", default))!.CurrentStream!.NextAction);
    }

    [SkippableFact]
    public async Task Status_history_is_kept_in_order_and_a_terminal_status_ends_the_call()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);

        Assert.True(await Store.AddStatusAsync("CA1", new CallStatusEvent("call", "in-progress", Now), default));
        Assert.True(await Store.AddStatusAsync("CA1", new CallStatusEvent("stream", "stream-started", Now.AddSeconds(1), "MZ1"), default));
        Assert.True(await Store.AddStatusAsync("CA1", new CallStatusEvent("call", "completed", Now.AddSeconds(30), "30"), default));
        Assert.True(await Store.AddStatusAsync("CA1", new CallStatusEvent("call", "failed", Now.AddSeconds(40)), default)); // already ended: no change of end
        Assert.False(await Store.AddStatusAsync("CA404", new CallStatusEvent("call", "ringing", Now), default));

        var call = (await Store.FindAsync("CA1", default))!;
        Assert.Equal(
            [new CallStatusEvent("call", "in-progress", Now), new CallStatusEvent("stream", "stream-started", Now.AddSeconds(1), "MZ1"),
             new CallStatusEvent("call", "completed", Now.AddSeconds(30), "30"), new CallStatusEvent("call", "failed", Now.AddSeconds(40))],
            call.StatusHistory);
        Assert.Equal("failed", call.CallStatus);
        Assert.Equal(Now.AddSeconds(30), call.EndedAt);
        Assert.Equal("call-status:completed", call.EndReason);
    }

    [SkippableFact]
    public async Task An_end_reason_set_before_the_terminal_status_is_kept()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await Store.TrySetEndReasonAsync("CA1", "hangup:goodbye", Now.AddSeconds(10), default);

        await Store.AddStatusAsync("CA1", new CallStatusEvent("call", "completed", Now.AddSeconds(12)), default);

        var call = (await Store.FindAsync("CA1", default))!;
        Assert.Equal(("hangup:goodbye", Now.AddSeconds(10)), (call.EndReason, call.EndedAt));
    }

    [SkippableFact]
    public async Task Transcript_lines_append_in_order_across_streams_with_card_data_redacted()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);

        await Store.AppendTranscriptAsync("CA1", [new(TimeSpan.FromSeconds(1), "agent", "Hello, how can I help?"), new(TimeSpan.FromSeconds(3), "caller", "Refund order A1001 please")], default);
        await Store.AppendTranscriptAsync("CA1", [], default);
        await Store.AppendTranscriptAsync("CA1",
            [new(TimeSpan.FromMilliseconds(500), "caller", "my card is 4111 1111 1111 1111 and the cvv is 123"), new(TimeSpan.FromSeconds(2), "caller", "5", TranscriptEntryKind.Dtmf),
             new(TimeSpan.FromSeconds(4), "agent", "I can", TranscriptEntryKind.Interrupted)], default);
        await Store.AppendTranscriptAsync("CA404", [new(TimeSpan.Zero, "caller", "nobody")], default);

        var transcript = (await Store.FindAsync("CA1", default))!.Transcript;
        Assert.Equal(
            [new(TimeSpan.FromSeconds(1), "agent", "Hello, how can I help?"), new(TimeSpan.FromSeconds(3), "caller", "Refund order A1001 please"),
             new(TimeSpan.FromMilliseconds(500), "caller", "my card is [card] and the cvv is [cvv]"), new(TimeSpan.FromSeconds(2), "caller", "5", TranscriptEntryKind.Dtmf),
             new TranscriptEntry(TimeSpan.FromSeconds(4), "agent", "I can", TranscriptEntryKind.Interrupted)],
            transcript);
        Assert.Null(await Store.FindAsync("CA404", default));
    }

    [SkippableFact]
    public async Task The_recording_id_is_first_writer_wins()
    {
        await Store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);

        Assert.True(await Store.SetRecordingAsync("CA1", "RE1", default));
        Assert.True(await Store.SetRecordingAsync("CA1", "RE2", default));
        Assert.False(await Store.SetRecordingAsync("CA404", "RE3", default));

        Assert.Equal("RE1", (await Store.FindAsync("CA1", default))!.RecordingSid);
    }
}

public sealed class InMemoryCallStoreContractTests : CallStoreContractTests
{
    private InMemoryCallStore _memory = null!;

    private protected override Task<ICallStore> CreateStoreAsync() => Task.FromResult<ICallStore>(_memory = new InMemoryCallStore(Time));

    [Fact]
    public async Task Ended_calls_are_forgotten_after_the_retention()
    {
        await _memory.GetOrCreateAsync(new NewCall("CA-old", "AC1", null, null, "support", Now), default);
        await _memory.AddStatusAsync("CA-old", new CallStatusEvent("call", "completed", Now), default);
        Time.Advance(InMemoryCallStore.Retention + TimeSpan.FromMinutes(1));

        for (var i = 0; i < 256; i++)
        {
            await _memory.GetOrCreateAsync(new NewCall("CA" + i, "AC1", null, null, "support", Time.GetUtcNow()), default);
        }

        Assert.Null(await _memory.FindAsync("CA-old", default));
    }
}

public sealed class SqliteCallStoreTests : CallStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    private protected override async Task<ICallStore> CreateStoreAsync() => new SqlCallStore(Database = await TestDatabases.SqliteAsync(_folder.Path));

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresCallStoreTests(PostgresDatabaseFixture fixture) : CallStoreContractTests, IClassFixture<PostgresDatabaseFixture>
{
    private protected override async Task<ICallStore> CreateStoreAsync() => new SqlCallStore(Database = await TestDatabases.PostgresAsync(fixture));
}
