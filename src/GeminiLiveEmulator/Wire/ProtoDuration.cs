using System.Globalization;

namespace PhoneAgent.GeminiLiveEmulator.Wire;

/// <summary>google.protobuf.Duration in JSON: seconds with 0, 3, 6 or 9 fractional digits and an "s" (<c>"50s"</c>, <c>"1.880s"</c>).</summary>
internal static class ProtoDuration
{
    public static string Format(TimeSpan value)
    {
        var nanos = value.Ticks * 100;
        var seconds = nanos / 1_000_000_000;
        var fraction = Math.Abs(nanos % 1_000_000_000);
        var whole = seconds.ToString(CultureInfo.InvariantCulture);
        if (fraction == 0)
        {
            return whole + "s";
        }

        var digits = fraction % 1_000_000 == 0 ? (fraction / 1_000_000).ToString("000", CultureInfo.InvariantCulture)
            : fraction % 1_000 == 0 ? (fraction / 1_000).ToString("000000", CultureInfo.InvariantCulture)
            : fraction.ToString("000000000", CultureInfo.InvariantCulture);
        return $"{whole}.{digits}s";
    }
}
