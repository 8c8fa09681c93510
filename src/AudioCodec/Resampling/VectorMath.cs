using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PhoneAgent.AudioCodec.Resampling;

/// <summary>
/// The SIMD kernels of the resampler. One code path is chosen per process, so every output sample is computed
/// with the same summation order whatever the chunking.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// Coefficient padding granule: lengths are multiples of this, so there are never vector tails. 16 floats where
    /// 512-bit vectors are accelerated (half the multiply-adds and horizontal sums of 256-bit), else 8.
    /// </summary>
    public static readonly int Width = Vector512.IsHardwareAccelerated ? 16 : 8;

    /// <summary>Σ x[i]·c[i] over <paramref name="length"/> floats (a multiple of <see cref="Width"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float x, ref float c, int length)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero;
            var i = 0;
            for (; i + 32 <= length; i += 32)
            {
                a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref c, (nuint)i), a0);
                a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)(i + 16)), Vector512.LoadUnsafe(ref c, (nuint)(i + 16)), a1);
            }

            if (i < length)
            {
                a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref c, (nuint)i), a0);
            }

            return Vector512.Sum(a0 + a1);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            // Two accumulators hide the multiply-add latency; the pair is always combined the same way.
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            var i = 0;
            for (; i + 16 <= length; i += 16)
            {
                a0 = MultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref c, (nuint)i), a0);
                a1 = MultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(i + 8)), Vector256.LoadUnsafe(ref c, (nuint)(i + 8)), a1);
            }

            if (i < length)
            {
                a0 = MultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref c, (nuint)i), a0);
            }

            return Vector256.Sum(a0 + a1);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> a0 = Vector128<float>.Zero, a1 = Vector128<float>.Zero;
            for (var i = 0; i < length; i += 8)
            {
                a0 += Vector128.LoadUnsafe(ref x, (nuint)i) * Vector128.LoadUnsafe(ref c, (nuint)i);
                a1 += Vector128.LoadUnsafe(ref x, (nuint)(i + 4)) * Vector128.LoadUnsafe(ref c, (nuint)(i + 4));
            }

            return Vector128.Sum(a0 + a1);
        }

        float sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref c, i);
        }

        return sum;
    }

    /// <summary>
    /// An FIR across consecutive outputs (the transposed layout): destination[i] = Σᵣ c[r]·x[i + r] for
    /// i &lt; <paramref name="count"/>, r &lt; <paramref name="taps"/>.
    /// </summary>
    public static void FirAcross(ref float x, ref float c, int taps, ref float destination, int count) =>
        FirAcrossStreams(ref x, stride: 0, streams: 1, ref c, taps, ref destination, count);

    /// <summary>
    /// An FIR across consecutive outputs over <paramref name="streams"/> input streams (de-interleaved input for
    /// decimation; one stream for interpolation): destination[j] = Σₛ Σᵢ c[s·Q + i]·x[s·stride + j + i].
    /// Each output is one chain of multiply-adds in (s, i) order, whether it falls in a vector lane or the scalar
    /// tail, so results do not depend on where a block starts. Four independent vectors (32 outputs) keep the
    /// multiply-add units busy; there are no horizontal sums.
    /// </summary>
    public static void FirAcrossStreams(ref float x, int stride, int streams, ref float c, int taps, ref float destination, int count)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 32 <= count; j += 32)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var s = 0; s < streams; s++)
                {
                    ref var xs = ref Unsafe.Add(ref x, (s * stride) + j);
                    ref var cs = ref Unsafe.Add(ref c, s * taps);
                    for (var i = 0; i < taps; i++)
                    {
                        var coefficient = Vector256.Create(Unsafe.Add(ref cs, i));
                        ref var xi = ref Unsafe.Add(ref xs, i);
                        a0 = MultiplyAdd(coefficient, Vector256.LoadUnsafe(ref xi), a0);
                        a1 = MultiplyAdd(coefficient, Vector256.LoadUnsafe(ref xi, 8), a1);
                        a2 = MultiplyAdd(coefficient, Vector256.LoadUnsafe(ref xi, 16), a2);
                        a3 = MultiplyAdd(coefficient, Vector256.LoadUnsafe(ref xi, 24), a3);
                    }
                }

                a0.StoreUnsafe(ref destination, (nuint)j);
                a1.StoreUnsafe(ref destination, (nuint)(j + 8));
                a2.StoreUnsafe(ref destination, (nuint)(j + 16));
                a3.StoreUnsafe(ref destination, (nuint)(j + 24));
            }

            for (; j + 8 <= count; j += 8)
            {
                Vector256<float> a0 = default;
                for (var s = 0; s < streams; s++)
                {
                    ref var xs = ref Unsafe.Add(ref x, (s * stride) + j);
                    ref var cs = ref Unsafe.Add(ref c, s * taps);
                    for (var i = 0; i < taps; i++)
                    {
                        a0 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref cs, i)), Vector256.LoadUnsafe(ref Unsafe.Add(ref xs, i)), a0);
                    }
                }

                a0.StoreUnsafe(ref destination, (nuint)j);
            }
        }

        for (; j < count; j++)
        {
            float sum = 0;
            for (var s = 0; s < streams; s++)
            {
                ref var xs = ref Unsafe.Add(ref x, (s * stride) + j);
                ref var cs = ref Unsafe.Add(ref c, s * taps);
                for (var i = 0; i < taps; i++)
                {
                    sum = MultiplyAdd(Unsafe.Add(ref cs, i), Unsafe.Add(ref xs, i), sum);
                }
            }

            Unsafe.Add(ref destination, j) = sum;
        }
    }

    /// <summary>Widens 16-bit samples to float without scaling.</summary>
    public static void ToSingle(ReadOnlySpan<short> source, Span<float> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source);
            ref var d = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
            for (; i + 16 <= source.Length; i += 16)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
                Vector256.ConvertToSingle(lower).StoreUnsafe(ref d, (nuint)i);
                Vector256.ConvertToSingle(upper).StoreUnsafe(ref d, (nuint)(i + 8));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>Rounds to nearest (ties to even) and saturates to 16 bits; vector and scalar paths agree exactly.</summary>
    public static void ToInt16(ReadOnlySpan<float> source, Span<short> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source);
            ref var d = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
            var min = Vector256.Create((float)short.MinValue);
            var max = Vector256.Create((float)short.MaxValue);
            for (; i + 16 <= source.Length; i += 16)
            {
                var lower = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(Vector256.LoadUnsafe(ref s, (nuint)i)), min), max));
                var upper = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(Vector256.LoadUnsafe(ref s, (nuint)(i + 8))), min), max));
                Vector256.Narrow(lower, upper).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (short)Math.Clamp(MathF.Round(source[i]), short.MinValue, short.MaxValue);
        }
    }

    /// <summary>The scalar twin of the vector multiply-add: fused exactly when the vector one is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MultiplyAdd(float a, float b, float addend) =>
        Fma.IsSupported ? MathF.FusedMultiplyAdd(a, b, addend) : (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, addend) : (a * b) + addend;
}
