using PhoneAgent.Calls;

namespace PhoneAgent.Tools;

/// <summary>What a tool may do to the live call. Implemented by the bridge's call session.</summary>
/// <remarks>
/// Hang-up and transfer share one exit: whichever is armed first wins, and later requests are ignored. Both wait for
/// the model's next turn with audio (the goodbye, or "I'm putting you through") to play to its last frame, at most
/// the profile's <c>limits.endCallTimeout</c>; a barge-in on that turn postpones the exit to the turn after.
/// </remarks>
internal interface ICallControl
{
    /// <summary>
    /// Ends the call once the model's next turn (the goodbye) has been played to its last frame, or after the
    /// profile's <c>limits.endCallTimeout</c>. Idempotent: the first reason wins.
    /// </summary>
    void ArmHangup(string reason);

    /// <summary>
    /// Hands the caller to a human: after the model's next turn has played (as <see cref="ArmHangup"/>), the stream
    /// ends with <paramref name="transfer"/> as its <see cref="NextAction"/> and <c>/twilio/connect-action</c> dials
    /// or enqueues. The target comes from the profile, never from the model. Idempotent with <see cref="ArmHangup"/>.
    /// </summary>
    void ArmTransfer(NextAction.Transfer transfer);
}
