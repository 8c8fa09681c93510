using System.Diagnostics;
using PhoneAgent.AudioCodec.Wav;

namespace PhoneAgent.GeminiLiveEmulator.Audio;

/// <summary>
/// Speaks text no shipped clip says (a tool result read back, say) with espeak-ng when the machine has it, the same
/// way <c>clips/make-clips.sh</c> made the clips: trimmed, peak-normalised, 24 kHz.
/// </summary>
internal sealed class EspeakSynthesizer(string executable)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Executable { get; } = executable;

    /// <summary>The configured executable, or <c>espeak-ng</c> on PATH when <paramref name="configured"/> is null; "" disables.</summary>
    public static EspeakSynthesizer? Locate(string? configured)
    {
        if (configured is not null)
        {
            return configured.Length == 0 ? null : File.Exists(configured) ? new EspeakSynthesizer(configured) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "espeak-ng");
            if (File.Exists(candidate))
            {
                return new EspeakSynthesizer(candidate);
            }
        }

        return null;
    }

    public async Task<short[]> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"gemini-emulator-{Guid.NewGuid():N}.wav");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-v", "en-us", "-s", "170", "-w", file, "--stdin" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
            await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken);
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Executable} exited with {process.ExitCode}.");
            }

            var audio = WavFile.Read(file);
            var samples = Pcm.To24k(audio.Channels[0], audio.SampleRate);
            samples = Pcm.TrimSilence(samples, threshold: 160, pad: SpeechClip.SampleRate / 25);
            Pcm.Normalize(samples, 0.7);
            return samples;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
