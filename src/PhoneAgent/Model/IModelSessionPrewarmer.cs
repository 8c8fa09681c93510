namespace PhoneAgent.Model;

/// <summary>
/// Opens a model session before the phone's media stream arrives (the voice webhook starts one while Twilio sets up
/// the stream) and hands it to the stream later. A pre-warmed session nobody claims is closed after a short timeout
/// (<c>Gemini:PrewarmTimeout</c>).
/// </summary>
public interface IModelSessionPrewarmer
{
    /// <summary>Starts a session for <paramref name="key"/> (e.g. the call SID); false when one is already waiting for that key.</summary>
    bool Prewarm(string key, ModelSessionConfig config);

    /// <summary>
    /// Takes the session pre-warmed for <paramref name="key"/> (ready, or still connecting), or <see langword="null"/>
    /// when there is none, it expired, or it already failed; the caller then opens one itself.
    /// </summary>
    IRealtimeModelSession? Claim(string key);
}
