using System.Text;
using System.Text.Json;
using PhoneAgent.GeminiLiveEmulator.Wire;

namespace PhoneAgent.GeminiLiveEmulator.Tests.Wire;

/// <summary>Caller audio is decoded from the JSON's UTF-8; it must accept and reject exactly what the string path does.</summary>
public sealed class Base64DataTests
{
    [Theory]
    [InlineData("")]
    [InlineData("AAEC")]
    [InlineData("AAECAw==")]
    [InlineData("AAECAw")]
    [InlineData("-_8A")]
    [InlineData("+/8A")]
    [InlineData("-/8A+_")]
    [InlineData("AAEC Aw==")]
    [InlineData("AAECA")]
    [InlineData("AA=C")]
    [InlineData("AAEC!w==")]
    [InlineData("AAECAw===")]
    [InlineData("QUJD\\/w==")]
    [InlineData("\\u0041AEC")]
    public void JsonValue_DecodesLikeTheStringPath(string escaped)
    {
        using var document = JsonDocument.Parse($"{{\"data\":\"{escaped}\"}}");
        var value = document.RootElement.GetProperty("data");

        var fromString = Base64Data.TryDecode(value.GetString()!);
        var fromUtf8 = Base64Data.TryDecode(value);

        Assert.Equal(fromString, fromUtf8);
    }

    [Fact]
    public void LongAudio_RoundTripsInBothAlphabets()
    {
        var pcm = new byte[9601];
        new Random(7).NextBytes(pcm);
        var standard = Convert.ToBase64String(pcm);
        var urlSafe = standard.Replace('+', '-').Replace('/', '_').TrimEnd('=');

        Assert.Equal(pcm, Base64Data.TryDecodeUtf8(Encoding.ASCII.GetBytes(standard)));
        Assert.Equal(pcm, Base64Data.TryDecodeUtf8(Encoding.ASCII.GetBytes(urlSafe)));
    }
}
