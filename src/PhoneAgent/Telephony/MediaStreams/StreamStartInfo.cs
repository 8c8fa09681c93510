namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>What <c>start</c> said.</summary>
internal sealed record StreamStartInfo(
    string StreamSid,
    string CallSid,
    string AccountSid,
    IReadOnlyDictionary<string, string> CustomParameters,
    IReadOnlyList<string> Tracks,
    string? Encoding,
    int? SampleRate,
    int? Channels)
{
    public string? Parameter(string name) => CustomParameters.GetValueOrDefault(name);
}
