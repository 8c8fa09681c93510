namespace PhoneAgent.GeminiLiveEmulator;

public enum EmulatorCloseInitiator
{
    /// <summary>The emulator closed (a protocol violation, a fault, goAway's deadline, shutdown).</summary>
    Server,

    /// <summary>The client sent a close frame.</summary>
    Client,

    /// <summary>The connection dropped without a close frame (either side aborted).</summary>
    Transport,
}
