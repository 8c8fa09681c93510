using PhoneAgent.CallReplay.Recordings;

namespace PhoneAgent.CallReplay.Load;

/// <summary>The recordings of a folder, which the load tool's calls replay in turn (call n plays recording n mod count).</summary>
public static class RecordingSet
{
    private static readonly string[] Extensions = [".wav", ".ulaw", ".mulaw", ".mu", ".pcmu", ".raw"];

    /// <summary>
    /// Loads every recording in <paramref name="folder"/> (WAV at any rate, raw μ-law, Twilio dual-channel WAV whose
    /// <paramref name="callerChannel"/> is the caller), each with its <c>NAME.json</c> transcript when present, in name order.
    /// A single file is accepted too.
    /// </summary>
    /// <exception cref="InvalidDataException">No recording, or one that cannot be read.</exception>
    public static IReadOnlyList<RecordedCall> Load(string folder, int callerChannel = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string[] files;
        if (File.Exists(folder))
        {
            files = [folder];
        }
        else if (Directory.Exists(folder))
        {
            files = [.. Directory.EnumerateFiles(folder)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)];
        }
        else
        {
            throw new InvalidDataException($"{folder}: no such folder.");
        }

        if (files.Length == 0)
        {
            throw new InvalidDataException($"{folder}: no recordings (*.wav, *.ulaw, *.mulaw, *.raw).");
        }

        var options = new RecordingLoadOptions { CallerChannel = callerChannel };
        var recordings = new List<RecordedCall>(files.Length);
        foreach (var file in files)
        {
            try
            {
                recordings.Add(RecordedCall.Load(file, options));
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or NotSupportedException)
            {
                throw new InvalidDataException($"{file}: {e.Message}", e);
            }
        }

        return recordings;
    }
}
