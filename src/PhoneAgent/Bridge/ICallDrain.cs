namespace PhoneAgent.Bridge;

/// <summary>The instance's drain on shutdown, as the bridge sees it (Hosting/CallDrain.cs drives it).</summary>
internal interface ICallDrain
{
    /// <summary>True from SIGTERM on: new calls are refused with the profile's fallback.</summary>
    bool Draining { get; }

    /// <summary>Cancelled when <c>PhoneAgent:DrainTimeout</c> has passed since SIGTERM: calls still running end with the fallback.</summary>
    CancellationToken CallsMustEnd { get; }
}
