namespace PhoneAgent.CallReplay.Playback;

/// <summary>A silence inside an agent turn: the caller's buffer ran dry and audio of the same turn came later.</summary>
/// <param name="At">When the audio resumed (call time).</param>
/// <param name="Length">How long the caller heard nothing.</param>
public readonly record struct Underrun(TimeSpan At, TimeSpan Length);
