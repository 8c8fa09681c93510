using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PhoneAgent.AudioCodec.Resampling;

/// <summary>
/// A stateful polyphase FIR resampler for one audio stream (one per call and direction). Input of any size is
/// accepted; the filter state carries across calls, so the output is bit-identical for any chunking.
/// </summary>
/// <remarks>
/// Output starts with the first input sample (the history starts as silence), so there is no start-up hole:
/// on the 8/16/24 kHz paths each 20 ms input frame yields exactly one 20 ms output frame. The only delay added
/// is the filter's group delay (<see cref="Delay"/>, at most 3 ms). No allocation after construction.
/// Not thread-safe: one stream, one caller at a time.
/// </remarks>
public sealed class StreamingResampler
{
    /// <summary>Input samples handled per inner block; larger inputs are processed in several blocks.</summary>
    /// <remarks>
    /// The scratch arrays are sized by it and live as long as the call: 512 makes a call's pair (8→16 and 24→8 kHz)
    /// about 16 KB, 1024 made it 31 KB, all of it copied out of gen0 once per call (12 new calls a second at 200 in
    /// flight). A 20 ms frame at 24 kHz (480 samples) still fits one block: per-frame cost unchanged (benchmarks), 256
    /// split it in two and doubled it.
    /// </remarks>
    private const int BlockSize = 512;

    private readonly PolyphaseKernel _kernel;
    private readonly float[] _buffer;       // [history | block]
    private readonly float[] _outputScratch; // float outputs of one block, for the 16-bit API
    private readonly float[]? _phaseScratch; // per-phase outputs of one block, for pure interpolation
    private readonly float[]? _decimationScratch; // the block's input de-interleaved by phase, for pure decimation
    private int _phase;                      // p of the next output
    private int _nextBase;                   // index, relative to the block start, of the newest input the next output needs

    private StreamingResampler(PolyphaseKernel kernel)
    {
        _kernel = kernel;
        _buffer = new float[kernel.History + BlockSize];
        _outputScratch = new float[MaxOutputLength(BlockSize)];
        _phaseScratch = kernel.Decimation == 1 ? new float[kernel.Interpolation * BlockSize] : null;
        _decimationScratch = kernel.Interpolation == 1
            ? new float[kernel.Decimation * ((BlockSize / kernel.Decimation) + kernel.DecimationTaps + 1)]
            : null;
    }

    public int InputRate => _kernel.Design.InputRate;

    public int OutputRate => _kernel.Design.OutputRate;

    /// <summary>The signal delay the filter adds (its group delay).</summary>
    public TimeSpan Delay => _kernel.Design.Delay;

    /// <summary>The filter specification behind this resampler.</summary>
    public ResamplerDesign Design => _kernel.Design;

    /// <summary>
    /// A resampler from <paramref name="inputRate"/> (8, 11.025, 16, 22.05, 24, 32, 44.1 or 48 kHz) to
    /// <paramref name="outputRate"/> (8, 16 or 24 kHz). Filter designs are computed once per rate pair and shared.
    /// </summary>
    public static StreamingResampler Create(int inputRate, int outputRate) => new(PolyphaseKernel.For(inputRate, outputRate));

    /// <summary>Caller audio for Gemini Live: 8 kHz → 16 kHz.</summary>
    public static StreamingResampler Upsample8To16() => Create(8000, 16000);

    /// <summary>Gemini Live audio for the caller: 24 kHz → 8 kHz.</summary>
    public static StreamingResampler Downsample24To8() => Create(24000, 8000);

    /// <summary>16 kHz → 8 kHz.</summary>
    public static StreamingResampler Downsample16To8() => Create(16000, 8000);

    /// <summary>24 kHz → 16 kHz.</summary>
    public static StreamingResampler Downsample24To16() => Create(24000, 16000);

    /// <summary>An upper bound on the output of <paramref name="inputLength"/> samples, whatever the state.</summary>
    public int MaxOutputLength(int inputLength) =>
        (int)(((long)inputLength * _kernel.Interpolation / _kernel.Decimation) + 1);

    /// <summary>The exact number of samples the next <see cref="Process(ReadOnlySpan{short}, Span{short})"/> of
    /// <paramref name="inputLength"/> samples will write.</summary>
    public int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        // Outputs j = 0, 1, … are due while their grid time t = t0 + j·M is below the end of the input, n·L.
        long l = _kernel.Interpolation, m = _kernel.Decimation;
        var remaining = (inputLength * l) - ((_nextBase * l) + _phase);
        return remaining <= 0 ? 0 : (int)((remaining + m - 1) / m);
    }

    /// <summary>Resamples 16-bit samples; returns how many were written to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <see cref="GetOutputLength"/>.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        EnsureCapacity(input.Length, output.Length);
        var written = 0;
        while (!input.IsEmpty)
        {
            var n = Math.Min(input.Length, BlockSize);
            VectorMath.ToSingle(input[..n], _buffer.AsSpan(_kernel.History, n));
            var produced = ProcessBlock(n, _outputScratch);
            VectorMath.ToInt16(_outputScratch.AsSpan(0, produced), output.Slice(written, produced));
            written += produced;
            input = input[n..];
        }

        return written;
    }

    /// <summary>Resamples float samples (any scale; no rounding); returns how many were written.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <see cref="GetOutputLength"/>.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        EnsureCapacity(input.Length, output.Length);
        var written = 0;
        while (!input.IsEmpty)
        {
            var n = Math.Min(input.Length, BlockSize);
            input[..n].CopyTo(_buffer.AsSpan(_kernel.History, n));
            written += ProcessBlock(n, output[written..]);
            input = input[n..];
        }

        return written;
    }

    /// <summary>Forgets all past input, as at construction (after a barge-in, for example).</summary>
    public void Reset()
    {
        Array.Clear(_buffer);
        _phase = 0;
        _nextBase = 0;
    }

    private void EnsureCapacity(int inputLength, int outputLength)
    {
        var needed = GetOutputLength(inputLength);
        if (outputLength < needed)
        {
            throw new ArgumentException($"The output holds {outputLength} samples; {inputLength} input samples produce {needed}.");
        }
    }

    /// <summary>Computes every output whose newest input sample lies in the block just copied after the history.</summary>
    /// <remarks>
    /// Pure decimation (L = 1) and pure interpolation (M = 1) get loops without the phase tables: stepping through
    /// the tables is a chain of dependent loads per output, which costs more than a half-band's dot product.
    /// </remarks>
    private int ProcessBlock(int blockLength, Span<float> output)
    {
        var kernel = _kernel;
        var history = kernel.History;
        ref var outputStart = ref MemoryMarshal.GetReference(output); // capacity checked by EnsureCapacity
        int phase = _phase, next = _nextBase, written = 0;

        if (kernel.Interpolation == 1)
        {
            // Output j needs the window ending at input next + M·j. De-interleaving the input by phase turns the
            // strided windows into M unit-stride FIRs that run across 32 outputs at a time.
            var m = kernel.Decimation;
            var q = kernel.DecimationTaps;
            var count = next < blockLength ? (blockLength - next + m - 1) / m : 0;
            if (count > 0)
            {
                var stride = count + q - 1;
                var windowStart = history + next - kernel.Trailing[0] - (m * q) + 1;
                var streams = _decimationScratch!;
                ref var source = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), windowStart);
                ref var target = ref MemoryMarshal.GetArrayDataReference(streams);
                for (var s = 0; s < m; s++)
                {
                    ref var from = ref Unsafe.Add(ref source, s);
                    ref var to = ref Unsafe.Add(ref target, s * stride);
                    for (var k = 0; k < stride; k++)
                    {
                        Unsafe.Add(ref to, k) = Unsafe.Add(ref from, m * k);
                    }
                }

                VectorMath.FirAcrossStreams(
                    ref MemoryMarshal.GetArrayDataReference(streams), stride, m,
                    ref MemoryMarshal.GetArrayDataReference(kernel.DecimationCoefficients), q, ref outputStart, count);
                written = count;
                next += m * count;
            }
        }
        else if (kernel.Decimation == 1)
        {
            // Every input sample yields phases 0 … L−1 in order, so a block always ends on phase 0. Each phase runs
            // across all the block's samples at once (no horizontal sums), then the phases are interleaved.
            var interpolation = kernel.Interpolation;
            var count = blockLength - next;
            for (var p = 0; p < interpolation; p++)
            {
                InterpolatePhase(kernel, p, history + next, count, ref _phaseScratch![p * BlockSize]);
            }

            for (var i = 0; i < count; i++)
            {
                for (var p = 0; p < interpolation; p++)
                {
                    Unsafe.Add(ref outputStart, written++) = _phaseScratch![(p * BlockSize) + i];
                }
            }

            next = blockLength;
        }
        else
        {
            var nextPhase = kernel.NextPhase;
            var advance = kernel.InputAdvance;
            while (next < blockLength)
            {
                Unsafe.Add(ref outputStart, written++) = Compute(kernel, phase, history + next);
                next += advance[phase];
                phase = nextPhase[phase];
            }
        }

        _phase = phase;
        _nextBase = next - blockLength;
        // Keep the newest `history` samples in front of the next block (CopyTo handles the overlap).
        _buffer.AsSpan(blockLength, history).CopyTo(_buffer);
        return written;
    }

    /// <summary>Outputs of one phase for <paramref name="count"/> consecutive input samples, the first newest at <paramref name="firstNewestIndex"/>.</summary>
    private void InterpolatePhase(PolyphaseKernel kernel, int phase, int firstNewestIndex, int count, ref float destination)
    {
        var used = kernel.Used[phase];
        var padding = Math.Max(kernel.Lengths[phase], 1) - used;
        ref var coefficients = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(kernel.Coefficients), kernel.Offsets[phase] + padding);
        ref var oldest = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), firstNewestIndex - kernel.Trailing[phase] - used + 1);
        VectorMath.FirAcross(ref oldest, ref coefficients, used, ref destination, count);
    }

    /// <summary>One output of <paramref name="phase"/> whose newest input sample is at <paramref name="newestIndex"/> in the buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Compute(PolyphaseKernel kernel, int phase, int newestIndex)
    {
        ref var coefficients = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(kernel.Coefficients), kernel.Offsets[phase]);
        ref var newest = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), newestIndex - kernel.Trailing[phase]);
        var length = kernel.Lengths[phase];
        return length == 0
            ? coefficients * newest
            : VectorMath.Dot(ref Unsafe.Subtract(ref newest, length - 1), ref coefficients, length);
    }
}
