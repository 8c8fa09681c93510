using System.Globalization;
using System.Text.Json;

namespace PhoneAgent.Tools.Handlers;

/// <summary>Reads the model's arguments defensively: the model may not follow the schema.</summary>
internal static class ToolArguments
{
    /// <summary>The trimmed string (numbers are accepted as their text), or <see langword="null"/> when absent or blank.</summary>
    public static string? String(JsonElement arguments, string name, int maxLength = 500)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > maxLength ? text[..maxLength] : text;
    }

    /// <summary>An amount in currency units, as a JSON number or a string such as <c>"25.50"</c>; <see langword="null"/> when it is neither.</summary>
    public static decimal? Amount(JsonElement arguments, string name)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDecimal(out var number) ? number : null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim().TrimStart('$', '€', '£').Trim();
            return decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        }

        return null;
    }

    /// <summary>Order numbers as callers say them: no spaces or dashes, upper case (<c>a-1001</c> → <c>A1001</c>).</summary>
    public static string? OrderId(JsonElement arguments, string name = "order_id")
    {
        var raw = String(arguments, name, 64);
        if (raw is null)
        {
            return null;
        }

        var id = new string([.. raw.Where(c => !char.IsWhiteSpace(c) && c is not '-' and not '#')]).ToUpperInvariant();
        return id.Length == 0 ? null : id;
    }
}
