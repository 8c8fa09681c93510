using System.Security.Cryptography;
using System.Text;

namespace PhoneAgent.CallReplay.Twilio;

/// <summary>
/// Computes <c>X-Twilio-Signature</c> as Twilio documents it: HMAC-SHA1, keyed with the auth token, over the full URL
/// followed by every POST parameter as <c>name + value</c> in ordinal order of the names; base64.
/// </summary>
/// <remarks>Written from the documentation, independently of PhoneAgent's validator; the tests check it with Twilio's own
/// <c>RequestValidator</c>.</remarks>
public static class TwilioSignature
{
    /// <summary>The signature of a request to <paramref name="url"/> with form <paramref name="parameters"/> (none for GET).</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentNullException.ThrowIfNull(url);
        var data = new StringBuilder(url);
        if (parameters is not null)
        {
            foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                data.Append(name).Append(value);
            }
        }

#pragma warning disable CA5350 // Twilio's signature scheme is HMAC-SHA1; the algorithm is not ours to choose.
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// The signature of a WebSocket upgrade to <paramref name="streamUrl"/> in the form <paramref name="variant"/>
    /// names, or <see langword="null"/> for <see cref="UpgradeSignatureVariant.None"/>.
    /// </summary>
    public static string? ComputeUpgrade(string authToken, string streamUrl, UpgradeSignatureVariant variant)
    {
        if (variant == UpgradeSignatureVariant.None)
        {
            return null;
        }

        var (url, parameters) = UpgradeSigningInput(streamUrl, variant);
        return Compute(authToken, url, parameters);
    }

    /// <summary>What is signed for an upgrade: the URL without its query (in <paramref name="variant"/>'s form) and the
    /// query's parameters.</summary>
    public static (string Url, IReadOnlyList<KeyValuePair<string, string>> Parameters) UpgradeSigningInput(string streamUrl, UpgradeSignatureVariant variant)
    {
        ArgumentNullException.ThrowIfNull(streamUrl);
        var queryAt = streamUrl.IndexOf('?', StringComparison.Ordinal);
        var url = queryAt < 0 ? streamUrl : streamUrl[..queryAt];
        var parameters = queryAt < 0 ? [] : ParseQuery(streamUrl[(queryAt + 1)..]);
        url = variant switch
        {
            UpgradeSignatureVariant.TrailingSlash => url.EndsWith('/') ? url : url + "/",
            UpgradeSignatureVariant.DefaultPort => WithDefaultPort(url),
            _ => url,
        };
        return (url, parameters);
    }

    private static string WithDefaultPort(string url)
    {
        var uri = new Uri(url);
        if (!uri.IsDefaultPort || url.AsSpan(uri.Scheme.Length + 3).StartsWith($"{uri.Host}:{uri.Port}", StringComparison.OrdinalIgnoreCase))
        {
            return url;
        }

        var port = uri.Scheme is "wss" or "https" ? 443 : 80;
        var authorityEnd = url.IndexOf('/', uri.Scheme.Length + 3);
        return authorityEnd < 0 ? $"{url}:{port}" : $"{url[..authorityEnd]}:{port}{url[authorityEnd..]}";
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            result.Add(new(name, value));
        }

        return result;
    }
}
