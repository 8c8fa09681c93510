using System.Globalization;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// A mark we send after audio: the turn it belongs to and how many 20 ms frames of that turn were sent before it.
/// On the wire its name is <c>t{turn}.f{frames}</c>, and <c>t{turn}.f{frames}.end</c> for the turn's final mark.
/// </summary>
internal readonly record struct PlaybackMark(int Turn, int Frames, bool Final)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"t{Turn}.f{Frames}{(Final ? ".end" : "")}");

    public static bool TryParse(string? name, out PlaybackMark mark)
    {
        mark = default;
        if (name is null || !name.StartsWith('t'))
        {
            return false;
        }

        var parts = name[1..].Split('.');
        if (parts.Length is < 2 or > 3 || !parts[1].StartsWith('f')
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var turn)
            || !int.TryParse(parts[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var frames)
            || (parts.Length == 3 && parts[2] != "end"))
        {
            return false;
        }

        mark = new PlaybackMark(turn, frames, parts.Length == 3);
        return true;
    }
}
