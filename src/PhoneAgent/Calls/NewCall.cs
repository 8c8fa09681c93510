namespace PhoneAgent.Calls;

/// <summary>What the voice webhook knows about a new call.</summary>
internal sealed record NewCall(string CallSid, string AccountSid, string? From, string? To, string Profile, DateTimeOffset At);
