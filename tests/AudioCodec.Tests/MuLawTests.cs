using System.Security.Cryptography;

namespace PhoneAgent.AudioCodec.Tests;

public sealed class MuLawTests
{
    /// <summary>The classic bias/clip G.711 encoder, written out here independently of the library's tables.</summary>
    private static readonly int[] ExponentTable = [.. Enumerable.Range(0, 256).Select(i => i == 0 ? 0 : (int)Math.Floor(Math.Log2(i)))];

    private static byte ReferenceEncode(short pcm)
    {
        int sample = pcm;
        var sign = (sample >> 8) & 0x80;
        if (sign != 0)
        {
            sample = -sample;
        }

        if (sample > 32635)
        {
            sample = 32635;
        }

        sample += 0x84;
        var exponent = ExponentTable[(sample >> 7) & 0xFF];
        var mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>The standard G.711 decoder, written out here independently.</summary>
    private static short ReferenceDecode(byte code)
    {
        int u = (byte)~code;
        var t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    [Fact]
    public void Encoder_matches_the_bias_clip_reference_on_all_65536_inputs()
    {
        var mismatches = 0;
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            if (MuLaw.Encode((short)s) != ReferenceEncode((short)s))
            {
                mismatches++;
            }
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(0x00, MuLaw.Encode(short.MinValue));
        Assert.Equal(0xFF, MuLaw.Encode(0));
        Assert.Equal(0x80, MuLaw.Encode(short.MaxValue));
    }

    [Fact]
    public void Decoder_matches_the_standard_decoder_on_all_256_codes()
    {
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal(ReferenceDecode((byte)code), MuLaw.Decode((byte)code));
        }
    }

    [Fact]
    public void Decode_table_has_the_published_sha256()
    {
        var bytes = new byte[512];
        for (var code = 0; code < 256; code++)
        {
            var value = MuLaw.Decode((byte)code);
            bytes[2 * code] = (byte)value;
            bytes[(2 * code) + 1] = (byte)(value >> 8);
        }

        Assert.Equal("3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Every_code_round_trips_except_negative_zero()
    {
        for (var code = 0; code < 256; code++)
        {
            var expected = code == 0x7F ? 0xFF : code; // 0x7F decodes to 0, which encodes as 0xFF
            Assert.Equal(expected, MuLaw.Encode(MuLaw.Decode((byte)code)));
        }
    }

    [Fact]
    public void Batch_forms_equal_the_single_sample_forms()
    {
        var pcm = new short[65536];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(i + short.MinValue);
        }

        var codes = new byte[pcm.Length];
        MuLaw.Encode(pcm, codes);
        var decoded = new short[codes.Length];
        MuLaw.Decode(codes, decoded);
        for (var i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(MuLaw.Encode(pcm[i]), codes[i]);
            Assert.Equal(MuLaw.Decode(codes[i]), decoded[i]);
        }
    }

    [Fact]
    public void A_short_destination_is_rejected_before_anything_is_written()
    {
        var destination = new byte[10];
        Assert.Throws<ArgumentException>(() => MuLaw.Encode(new short[11], destination));
        Assert.All(destination, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => MuLaw.Decode(new byte[11], new short[10]));
    }
}
