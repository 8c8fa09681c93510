using PhoneAgent.Model;

namespace PhoneAgent.Bridge;

/// <summary>
/// A model session that can be told to drop its connection and resume on a new one with its resumption handle
/// (the stall watchdog's last resort before the fallback).
/// </summary>
/// <remarks>
/// <c>GeminiLiveSession</c> implements it by handing the request to its supervisor as for a lost connection
/// (<see cref="ModelReconnectCause.Requested"/>). With a session that does not, a stalled model sends the call to the
/// profile's fallback.
/// </remarks>
public interface IReconnectableModelSession
{
    /// <summary>Drops the current connection and resumes the session on a new one (never blocks).</summary>
    void Reconnect(string reason);
}
