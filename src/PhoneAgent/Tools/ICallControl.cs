namespace PhoneAgent.Tools;

/// <summary>What a tool may do to the live call. Implemented by the bridge's call session.</summary>
internal interface ICallControl
{
    /// <summary>
    /// Ends the call once the model's next turn (the goodbye) has been played to its last frame, or after the
    /// profile's <c>limits.endCallTimeout</c>. Idempotent: the first reason wins.
    /// </summary>
    void ArmHangup(string reason);
}
