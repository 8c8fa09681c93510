using System.Text;
using PhoneAgent.GeminiLiveEmulator.Tests.Infrastructure;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Wire;

public sealed class CloseReasonsTests
{
    [Fact]
    public void ModelNotFound_IsTheRecordedTextCutTo123Bytes()
    {
        var reason = CloseReasons.ModelNotFound("models/gemini-9.9-flash-live-example", "v1beta");

        Assert.Equal(Golden.CloseReason("close-1008-model-not-found.json"), reason);
        Assert.Equal(123, Encoding.UTF8.GetByteCount(reason));
    }

    [Theory]
    [InlineData("close-1007-invalid-argument.json", CloseReasons.InvalidArgument)]
    [InlineData("close-1007-precondition.json", CloseReasons.PreconditionFailed)]
    [InlineData("close-1008-entity-not-found.json", CloseReasons.EntityNotFound)]
    [InlineData("close-1008-not-implemented.json", CloseReasons.NotImplemented)]
    [InlineData("close-1011-internal.json", CloseReasons.Internal)]
    [InlineData("close-1011-unavailable.json", CloseReasons.Unavailable)]
    [InlineData("close-1011-deadline-session-cap.json", CloseReasons.DeadlineExpired)]
    public void Reasons_AreTheRecordedTexts(string fixture, string reason) => Assert.Equal(Golden.CloseReason(fixture), reason);

    [Fact]
    public void Truncate_NeverSplitsACharacter()
    {
        var reason = CloseReasons.Truncate(new string('é', 100));

        Assert.True(Encoding.UTF8.GetByteCount(reason) <= 123);
        Assert.Equal(61, reason.Length);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(50_000, "50s")]
    [InlineData(1_880, "1.880s")]
    [InlineData(240, "0.240s")]
    public void ProtoDuration_FormatsLikeTheService(int milliseconds, string text) =>
        Assert.Equal(text, ProtoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
