using System.Runtime.InteropServices;
using PhoneAgent.AudioCodec;
using PhoneAgent.AudioCodec.Resampling;

namespace PhoneAgent.Bridge;

/// <summary>
/// Model speech (PCM16 LE mono, 24 kHz on Gemini) → 8 kHz → μ-law → whole 160-byte frames; the remainder waits for
/// the next chunk of the same turn. One per call (the resampler's state is the call's). Not thread-safe.
/// </summary>
internal sealed class ModelAudioFramer
{
    private const int OutputRate = 8000;

    private StreamingResampler? _resampler;
    private int _inputRate;
    private short[] _input = []; // big-endian hosts only: little-endian input is read in place
    private short[] _resampled = new short[1024]; // grows to the largest chunk (a 62 ms Gemini chunk needs 534)
    private PlayoutFrame _partial;
    private int _partialLength;
    private bool _hasPartial;

    /// <param name="expectedRate">The model's output rate: its resampler is built now, off the audio path (the first chunk of a call would pay for it otherwise).</param>
    public ModelAudioFramer(int expectedRate = 24_000)
    {
        if (expectedRate != OutputRate)
        {
            _resampler = StreamingResampler.Create(expectedRate, OutputRate);
            _inputRate = expectedRate;
        }
    }

    /// <summary>The resampler's state was reset this many times (barge-in, new turn).</summary>
    public int Resets { get; private set; }

    /// <summary>
    /// Converts <paramref name="pcm"/> and appends the whole frames it completes (of <paramref name="turn"/>) to
    /// <paramref name="frames"/>, growing it when needed; returns how many were appended.
    /// </summary>
    public int Write(ReadOnlySpan<byte> pcm, int sampleRate, int turn, ref PlayoutFrame[] frames, int start)
    {
        var samples = ToSamples(pcm);
        ReadOnlySpan<short> output = samples;
        if (sampleRate != OutputRate)
        {
            if (_resampler is null || _inputRate != sampleRate)
            {
                _resampler = StreamingResampler.Create(sampleRate, OutputRate);
                _inputRate = sampleRate;
            }

            var length = _resampler.GetOutputLength(samples.Length);
            if (_resampled.Length < length)
            {
                _resampled = new short[Math.Max(length, _resampled.Length * 2)];
            }

            var written = _resampler.Process(samples, _resampled);
            output = _resampled.AsSpan(0, written);
        }

        var count = 0;
        while (!output.IsEmpty)
        {
            if (!_hasPartial)
            {
                _partial = PlayoutFrame.Rent(turn);
                _partialLength = 0;
                _hasPartial = true;
            }

            var take = Math.Min(PlayoutFrame.Bytes - _partialLength, output.Length);
            MuLaw.Encode(output[..take], _partial.Buffer.AsSpan(_partialLength, take));
            _partialLength += take;
            output = output[take..];
            if (_partialLength == PlayoutFrame.Bytes)
            {
                if (start + count == frames.Length)
                {
                    Array.Resize(ref frames, frames.Length * 2);
                }

                frames[start + count++] = _partial;
                _hasPartial = false;
            }
        }

        return count;
    }

    /// <summary>The turn is over: its partial frame, padded with μ-law silence, or <see langword="false"/> when there is none.</summary>
    public bool Flush(out PlayoutFrame frame)
    {
        frame = default;
        if (!_hasPartial)
        {
            return false;
        }

        _partial.Buffer.AsSpan(_partialLength, PlayoutFrame.Bytes - _partialLength).Fill(MuLaw.Silence);
        frame = _partial;
        _hasPartial = false;
        return true;
    }

    /// <summary>Forgets the partial frame and the resampler's history (barge-in, or a new turn): nothing of the old audio can leak into the next.</summary>
    public void Reset()
    {
        if (_hasPartial)
        {
            _partial.Return();
            _hasPartial = false;
        }

        _resampler?.Reset();
        Resets++;
    }

    private ReadOnlySpan<short> ToSamples(ReadOnlySpan<byte> pcm)
    {
        var n = pcm.Length / 2;
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, short>(pcm[..(n * 2)]);
        }

        if (_input.Length < n)
        {
            _input = new short[Math.Max(n, _input.Length * 2)];
        }

        for (var i = 0; i < n; i++)
        {
            _input[i] = (short)(pcm[2 * i] | (pcm[(2 * i) + 1] << 8));
        }

        return _input.AsSpan(0, n);
    }
}
