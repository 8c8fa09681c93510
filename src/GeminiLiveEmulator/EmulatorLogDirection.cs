namespace PhoneAgent.GeminiLiveEmulator;

public enum EmulatorLogDirection
{
    /// <summary>A client message the emulator received.</summary>
    Received,

    /// <summary>A server message the emulator sent (logged when it went onto the socket).</summary>
    Sent,

    /// <summary>What the emulator decided or noticed: voice activity, scripted transcription, faults, violations.</summary>
    Note,
}
