using Microsoft.Extensions.Time.Testing;
using PhoneAgent.Calls;

namespace PhoneAgent.Tests.Telephony;

/// <summary>The call store semantics several instances rely on: idempotent create, CAS issue, single-use claim, first writer wins.</summary>
public sealed class InMemoryCallStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly InMemoryCallStore _store;

    public InMemoryCallStoreTests() => _store = new InMemoryCallStore(_time);

    [Fact]
    public async Task Create_is_idempotent_on_call_sid()
    {
        var first = await _store.GetOrCreateAsync(new NewCall("CA1", "AC1", "+1", "+2", "support", Now), default);
        var second = await _store.GetOrCreateAsync(new NewCall("CA1", "AC9", "+9", "+9", "sales", Now.AddSeconds(5)), default);

        Assert.Same(first, second);
        Assert.Equal("support", second.Profile);
    }

    [Fact]
    public async Task A_stream_token_is_claimed_exactly_once_under_contention()
    {
        await _store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await _store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        var claims = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () => await _store.ClaimStreamAsync("CA1", 1, "MZ" + i, Now, default))));

        Assert.Single(claims, c => c == StreamClaim.Claimed);
        Assert.All(claims.Where(c => c != StreamClaim.Claimed), c => Assert.Equal(StreamClaim.AlreadyClaimed, c));
    }

    [Fact]
    public async Task Issue_is_a_compare_and_set_on_the_current_ordinal()
    {
        await _store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);

        Assert.NotNull(await _store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default));
        Assert.NotNull(await _store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(3), default)); // retried webhook: refresh
        Assert.Null(await _store.IssueStreamAsync("CA1", 3, Now, Now.AddMinutes(2), default)); // skips an ordinal
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await _store.IssueStreamAsync("CA1", 2, Now, Now.AddMinutes(2), default))));
        Assert.All(results, r => Assert.NotNull(r)); // the same stream 2, issued or refreshed
        Assert.Equal(2, (await _store.FindAsync("CA1", default))!.Streams.Count);

        await _store.ClaimStreamAsync("CA1", 2, "MZ2", Now, default);
        Assert.Null(await _store.IssueStreamAsync("CA1", 2, Now, Now.AddMinutes(2), default)); // claimed: no refresh
        Assert.Equal(StreamClaim.Superseded, await _store.ClaimStreamAsync("CA1", 1, "MZ1", Now, default));
    }

    [Fact]
    public async Task Expired_unknown_and_unissued_streams_are_refused()
    {
        await _store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await _store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        Assert.Equal(StreamClaim.Expired, await _store.ClaimStreamAsync("CA1", 1, "MZ1", Now.AddMinutes(3), default));
        Assert.Equal(StreamClaim.NotIssued, await _store.ClaimStreamAsync("CA1", 2, "MZ1", Now, default));
        Assert.Equal(StreamClaim.UnknownCall, await _store.ClaimStreamAsync("CA404", 1, "MZ1", Now, default));
    }

    [Fact]
    public async Task Next_action_stream_end_and_end_reason_are_first_writer_wins()
    {
        await _store.GetOrCreateAsync(new NewCall("CA1", "AC1", null, null, "support", Now), default);
        await _store.IssueStreamAsync("CA1", 1, Now, Now.AddMinutes(2), default);

        Assert.True(await _store.TrySetNextActionAsync("CA1", 1, new NextAction.Hangup("goodbye"), default));
        Assert.False(await _store.TrySetNextActionAsync("CA1", 1, new NextAction.Reconnect("late"), default));
        await _store.EndStreamAsync("CA1", 1, StreamEndReason.ClosedByServer, Now, default);
        await _store.EndStreamAsync("CA1", 1, StreamEndReason.SocketLost, Now, default);
        Assert.True(await _store.TrySetEndReasonAsync("CA1", "hangup:goodbye", Now, default));
        Assert.False(await _store.TrySetEndReasonAsync("CA1", "other", Now, default));

        var call = (await _store.FindAsync("CA1", default))!;
        Assert.IsType<NextAction.Hangup>(call.CurrentStream!.NextAction);
        Assert.Equal(StreamEndReason.ClosedByServer, call.CurrentStream.EndReason);
        Assert.Equal("hangup:goodbye", call.EndReason);
        Assert.True(call.Version > 1);
    }

    [Fact]
    public async Task Ended_calls_are_forgotten_after_the_retention()
    {
        await _store.GetOrCreateAsync(new NewCall("CA-old", "AC1", null, null, "support", Now), default);
        await _store.AddStatusAsync("CA-old", new CallStatusEvent("call", "completed", Now), default);
        _time.Advance(InMemoryCallStore.Retention + TimeSpan.FromMinutes(1));

        for (var i = 0; i < 256; i++)
        {
            await _store.GetOrCreateAsync(new NewCall("CA" + i, "AC1", null, null, "support", _time.GetUtcNow()), default);
        }

        Assert.Null(await _store.FindAsync("CA-old", default));
        Assert.False(await _store.AddStatusAsync("CA-unknown", new CallStatusEvent("call", "ringing", Now), default));
    }
}
