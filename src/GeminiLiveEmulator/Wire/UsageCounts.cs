namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>Token counts for one turn's <c>usageMetadata</c> (the prompt is the whole context, re-billed every turn).</summary>
internal sealed record UsageCounts(int PromptText, int PromptAudio, int ResponseText, int ResponseAudio, int Thoughts)
{
    public int Prompt => PromptText + PromptAudio;

    public int Response => ResponseText + ResponseAudio;

    /// <summary>Prompt plus response; thinking tokens are reported apart and not included (as recorded).</summary>
    public int Total => Prompt + Response;
}
