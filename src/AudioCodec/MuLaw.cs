namespace PhoneAgent.AudioCodec;

/// <summary>
/// ITU-T G.711 μ-law, bit-exact with the classic bias/clip encoder (bias 0x84, clip 32635, no zero trap,
/// −32768 → 0x00) and the standard decoder.
/// </summary>
/// <remarks>
/// Both directions are table look-ups. The encoder table has 65,536 entries indexed by the raw 16-bit sample:
/// a 16 K table indexed by <c>sample &gt;&gt; 2</c> is the 14-bit Sun encoder, which differs on 381 inputs.
/// </remarks>
public static class MuLaw
{
    /// <summary>The μ-law code of digital silence (sample 0).</summary>
    public const byte Silence = 0xFF;

    private const int Bias = 0x84;
    private const int Clip = 32635;

    private static readonly short[] DecodeTable = BuildDecodeTable();
    private static readonly byte[] EncodeTable = BuildEncodeTable();

    /// <summary>Decodes one μ-law code to a 16-bit linear sample.</summary>
    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Encodes one 16-bit linear sample to μ-law.</summary>
    public static byte Encode(short sample) => EncodeTable[(ushort)sample];

    /// <summary>Decodes <paramref name="source"/> into the first <c>source.Length</c> samples of <paramref name="destination"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<short> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} samples; {source.Length} are needed.", nameof(destination));
        }

        var table = DecodeTable;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    /// <summary>Encodes <paramref name="source"/> into the first <c>source.Length</c> bytes of <paramref name="destination"/>.</summary>
    public static void Encode(ReadOnlySpan<short> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; {source.Length} are needed.", nameof(destination));
        }

        var table = EncodeTable;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[(ushort)source[i]];
        }
    }

    /// <summary>The arithmetic bias/clip encoder the table is built from.</summary>
    internal static byte EncodeArithmetic(short sample)
    {
        int value = sample;
        var sign = (value >> 8) & 0x80;
        if (sign != 0)
        {
            value = -value; // −32768 becomes 32768 in int and is clipped below, giving 0x00.
        }

        if (value > Clip)
        {
            value = Clip;
        }

        value += Bias;
        var exponent = 7;
        for (var mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>The arithmetic standard decoder the table is built from.</summary>
    internal static short DecodeArithmetic(byte code)
    {
        var inverted = ~code & 0xFF;
        var exponent = (inverted >> 4) & 0x07;
        var mantissa = inverted & 0x0F;
        var magnitude = (((mantissa << 3) + Bias) << exponent) - Bias;
        return (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
    }

    internal static ReadOnlySpan<short> DecodeTableView => DecodeTable;

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var code = 0; code < table.Length; code++)
        {
            table[code] = DecodeArithmetic((byte)code);
        }

        return table;
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[65536];
        for (var sample = short.MinValue; ; sample++)
        {
            table[(ushort)sample] = EncodeArithmetic(sample);
            if (sample == short.MaxValue)
            {
                break;
            }
        }

        return table;
    }
}
