using PhoneAgent.Model.Gemini;
using static PhoneAgent.Model.Gemini.GeminiCloseAction;
using static PhoneAgent.Model.Gemini.GeminiConnectionPhase;

namespace PhoneAgent.Tests.Model;

/// <summary>The close-code policy of issue 3, per code and per phase.</summary>
public sealed class GeminiClosePolicyTests
{
    /// <summary>Close code (null = transport lost without a close frame) × phase → action.</summary>
    public static TheoryData<int?, GeminiConnectionPhase, GeminiCloseAction> Table() => new()
    {
        // Transport loss, 1000, 1011: reconnect with the handle (a fresh setup is simply retried).
        { null, FreshSetup, RetrySame },
        { null, ResumeSetup, ReconnectWithHandle },
        { null, ResumeSetupWhileOldOpen, ReconnectWithHandle },
        { null, Established, ReconnectWithHandle },
        { 1006, Established, ReconnectWithHandle },
        { 1000, FreshSetup, RetrySame },
        { 1000, ResumeSetup, ReconnectWithHandle },
        { 1000, ResumeSetupWhileOldOpen, ReconnectWithHandle },
        { 1000, Established, ReconnectWithHandle },
        { 1011, FreshSetup, RetrySame },
        { 1011, ResumeSetup, ReconnectWithHandle },
        { 1011, ResumeSetupWhileOldOpen, ReconnectWithHandle },
        { 1011, Established, ReconnectWithHandle },

        // "Try again" codes behave like 1011.
        { 1001, Established, ReconnectWithHandle },
        { 1012, Established, ReconnectWithHandle },
        { 1013, FreshSetup, RetrySame },
        { 1014, ResumeSetup, ReconnectWithHandle },

        // 1007 / 1008: fatal on a fresh setup, seed fresh when a handle was refused, close the old socket and
        // retry the handle when refused during a hand-over, one reconnect mid-session.
        { 1007, FreshSetup, Fatal },
        { 1008, FreshSetup, Fatal },
        { 1007, ResumeSetup, SeedFresh },
        { 1008, ResumeSetup, SeedFresh },
        { 1007, ResumeSetupWhileOldOpen, CloseOldAndRetryHandle },
        { 1008, ResumeSetupWhileOldOpen, CloseOldAndRetryHandle },
        { 1007, Established, ReconnectWithHandleOnce },
        { 1008, Established, ReconnectWithHandleOnce },

        // Other codes are treated like 1007/1008: never a retry loop.
        { 1002, FreshSetup, Fatal },
        { 1009, Established, ReconnectWithHandleOnce },
        { 4000, ResumeSetup, SeedFresh },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Action_per_code_and_phase(int? code, GeminiConnectionPhase phase, GeminiCloseAction expected) =>
        Assert.Equal(expected, GeminiClosePolicy.Decide(phase, code));

    [Theory]
    [InlineData(FreshSetup, RetrySame)]
    [InlineData(ResumeSetup, ReconnectWithHandle)]
    [InlineData(ResumeSetupWhileOldOpen, ReconnectWithHandle)]
    public void A_refused_or_timed_out_connect_is_retried(GeminiConnectionPhase phase, GeminiCloseAction expected) =>
        Assert.Equal(expected, GeminiClosePolicy.Decide(phase, GeminiCloseKind.ConnectRefused));

    [Fact]
    public void Only_retries_are_transient()
    {
        Assert.True(new GeminiConnectException(FreshSetup, GeminiCloseKind.ServerError, 1011, "Internal error occurred.", "x").IsTransient);
        Assert.True(new GeminiConnectException(ResumeSetup, GeminiCloseKind.TransportLost, null, null, "x").IsTransient);
        Assert.False(new GeminiConnectException(FreshSetup, GeminiCloseKind.PolicyViolation, 1008, "models/x is not found", "x").IsTransient);
        Assert.False(new GeminiConnectException(ResumeSetup, GeminiCloseKind.InvalidArgument, 1007, "Request contains an invalid argument.", "x").IsTransient);
    }

    [Fact]
    public void Every_recorded_close_golden_has_an_action_in_every_phase()
    {
        foreach (var file in Testing.GeminiGolden.Files("close-"))
        {
            var code = Testing.GeminiGolden.Json(file)["close"]!["code"]!.GetValue<int>();
            foreach (var phase in Enum.GetValues<GeminiConnectionPhase>())
            {
                var action = GeminiClosePolicy.Decide(phase, code);
                Assert.True(Enum.IsDefined(action), $"{file} in {phase}");
                Assert.Equal(code is 1007 or 1008 && phase == FreshSetup, action == Fatal);
            }
        }
    }
}
