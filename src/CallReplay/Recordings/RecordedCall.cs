using PhoneAgent.AudioCodec.Resampling;
using PhoneAgent.AudioCodec.Wav;
using G711 = PhoneAgent.AudioCodec.MuLaw;

namespace PhoneAgent.CallReplay.Recordings;

/// <summary>
/// The caller's side of a call, ready to stream as Twilio does: 8 kHz μ-law, plus where the caller speaks.
/// </summary>
/// <remarks>
/// Accepted: WAV at any rate AudioCodec resamples (8, 11.025, 16, 22.05, 24, 32, 44.1, 48 kHz; PCM16, μ-law or
/// float), raw μ-law 8 kHz (<c>.ulaw</c>, <c>.mulaw</c>, <c>.mu</c>, <c>.pcmu</c>, <c>.raw</c>), and a Twilio
/// dual-channel call recording (two-channel WAV), of which the caller's channel is used. Resampling compensates the
/// filter's group delay, so utterance times in the transcript still hold at 8 kHz.
/// </remarks>
public sealed class RecordedCall
{
    private static readonly string[] RawMuLawExtensions = [".ulaw", ".mulaw", ".mu", ".pcmu", ".raw"];

    private RecordedCall(string name, byte[] muLaw, IReadOnlyList<Utterance> utterances, bool fromTranscript, string source)
    {
        Name = name;
        MuLaw = muLaw;
        Utterances = utterances;
        HasTranscript = fromTranscript;
        Source = source;
    }

    /// <summary>The recording's file name (or the name given).</summary>
    public string Name { get; }

    /// <summary>The caller's audio, 8 kHz μ-law.</summary>
    public ReadOnlyMemory<byte> MuLaw { get; }

    /// <summary>Where the caller speaks, in order.</summary>
    public IReadOnlyList<Utterance> Utterances { get; }

    /// <summary>Whether <see cref="Utterances"/> came from a transcript (with text) rather than from energy.</summary>
    public bool HasTranscript { get; }

    /// <summary>What the file was, for the log ("WAV 16000 Hz PCM16, 2 channels, caller channel 0").</summary>
    public string Source { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds(MuLaw.Length / 8000.0);

    /// <summary>Loads a recording and its transcript (see the type's remarks for the formats).</summary>
    /// <exception cref="InvalidDataException">The file is not a recording this loader supports.</exception>
    public static RecordedCall Load(string path, RecordingLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new RecordingLoadOptions();
        var name = System.IO.Path.GetFileName(path);
        byte[] muLaw;
        string source;
        if (RawMuLawExtensions.Contains(System.IO.Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            muLaw = File.ReadAllBytes(path);
            source = "raw μ-law 8000 Hz";
        }
        else
        {
            var wav = WavFile.Read(path);
            (muLaw, source) = FromWav(wav, options.CallerChannel, path);
        }

        var transcript = options.TranscriptPath ?? TranscriptFile.PathFor(path);
        if (File.Exists(transcript))
        {
            return new RecordedCall(name, muLaw, TranscriptFile.Read(transcript), fromTranscript: true, source);
        }

        if (options.TranscriptPath is not null)
        {
            throw new FileNotFoundException($"Transcript {transcript} not found.", transcript);
        }

        return new RecordedCall(name, muLaw, options.Segmenter.Detect(muLaw), fromTranscript: false, source);
    }

    /// <summary>A recording from 8 kHz μ-law bytes; utterances found from energy when not given.</summary>
    public static RecordedCall FromMuLaw(string name, byte[] muLaw, IReadOnlyList<Utterance>? utterances = null)
    {
        ArgumentNullException.ThrowIfNull(muLaw);
        return new RecordedCall(name, muLaw, utterances ?? new SpeechSegmenter().Detect(muLaw), utterances is not null, "μ-law 8000 Hz");
    }

    /// <summary>A recording from linear samples at <paramref name="sampleRate"/> (resampled to 8 kHz).</summary>
    public static RecordedCall FromPcm(string name, int sampleRate, ReadOnlySpan<short> samples, IReadOnlyList<Utterance>? utterances = null)
    {
        var muLaw = ToMuLaw8k(sampleRate, samples);
        return new RecordedCall(name, muLaw, utterances ?? new SpeechSegmenter().Detect(muLaw), utterances is not null, $"PCM {sampleRate} Hz");
    }

    /// <summary>Linear 16-bit samples at 8 kHz → μ-law, with any other rate resampled first.</summary>
    public static byte[] ToMuLaw8k(int sampleRate, ReadOnlySpan<short> samples)
    {
        var pcm = sampleRate == 8000 ? samples : Resample(samples, sampleRate);
        var muLaw = new byte[pcm.Length];
        G711.Encode(pcm, muLaw);
        return muLaw;
    }

    private static (byte[] MuLaw, string Source) FromWav(WavAudio wav, int callerChannel, string path)
    {
        if (callerChannel < 0 || callerChannel >= wav.Channels.Count)
        {
            throw new InvalidDataException($"{path}: has {wav.Channels.Count} channel(s); caller channel {callerChannel} does not exist.");
        }

        var channels = wav.Channels.Count == 1 ? "mono" : $"{wav.Channels.Count} channels, caller channel {callerChannel}";
        var source = $"WAV {wav.SampleRate} Hz {wav.SourceEncoding}, {channels}";
        try
        {
            return (ToMuLaw8k(wav.SampleRate, wav.Channels[callerChannel]), source);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {wav.SampleRate} Hz cannot be resampled to 8 kHz ({e.Message}).", e);
        }
    }

    /// <summary>Resamples to 8 kHz and removes the filter's group delay, so sample n stays at time n / rate.</summary>
    private static short[] Resample(ReadOnlySpan<short> samples, int sampleRate)
    {
        var resampler = StreamingResampler.Create(sampleRate, 8000);
        var delay = (int)Math.Round(resampler.Delay.TotalSeconds * 8000);
        var wanted = (int)((long)samples.Length * 8000 / sampleRate);
        var padding = new short[(int)Math.Ceiling(resampler.Delay.TotalSeconds * sampleRate) + sampleRate / 100];
        var output = new short[resampler.MaxOutputLength(samples.Length) + resampler.MaxOutputLength(padding.Length) + 2];
        var written = resampler.Process(samples, output);
        written += resampler.Process(padding, output.AsSpan(written));
        var available = Math.Max(0, Math.Min(wanted, written - delay));
        return output.AsSpan(delay, available).ToArray();
    }
}
