using System.Security.Cryptography;
using System.Text;
using Twilio.Security;

namespace PhoneAgent.Telephony;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> against every configured auth token (primary and secondary, for rotation).
/// Webhooks go through Twilio's own <see cref="RequestValidator"/>; the WebSocket upgrade tries a fixed list of URL
/// variants so the one that matched can be counted (<see cref="UpgradeSignatureVariant"/>).
/// </summary>
/// <remarks>
/// Every token (and every variant) is checked, with no early exit, and comparisons are constant-time.
/// Repeated form keys are joined with commas (as twilio-aspnet does); Twilio's Node and Python helpers append each
/// distinct value instead. Voice webhooks do not repeat keys.
/// </remarks>
internal sealed class TwilioSignatureValidator(TwilioCredentials credentials)
{
    private readonly RequestValidator[] _validators = [.. credentials.SigningTokens.Select(t => new RequestValidator(t))];
    private readonly byte[][] _keys = [.. credentials.SigningTokens.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="url"/> + <paramref name="parameters"/>.</summary>
    public bool IsValidWebhook(string url, IDictionary<string, string> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        // Twilio's C# validator cannot drop an explicit default port (System.Uri hides it, so its "variant" is the
        // same URL again); twilio-node can. So a base like https://host:443 is also tried as https://host.
        var withoutDefaultPort = WithoutExplicitDefaultPort(url);
        var valid = false;
        foreach (var validator in _validators)
        {
            valid |= validator.Validate(url, parameters, signature);
            if (withoutDefaultPort is not null)
            {
                valid |= validator.Validate(withoutDefaultPort, parameters, signature);
            }
        }

        return valid;
    }

    /// <summary>Which variant of the stream URL <paramref name="signature"/> signs, or <see cref="UpgradeSignatureVariant.None"/>.</summary>
    /// <param name="webSocketUrl">The wss URL rebuilt from <c>PublicBaseUrl</c> (+ path + query as received).</param>
    /// <param name="signature">The header value, or <see langword="null"/> when missing.</param>
    public UpgradeSignatureVariant MatchUpgrade(string webSocketUrl, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return UpgradeSignatureVariant.Missing;
        }

        Span<byte> expected = stackalloc byte[HMACSHA1.HashSizeInBytes];
        if (signature.Length != 28 || !Convert.TryFromBase64String(signature, expected, out var written) || written != expected.Length)
        {
            return UpgradeSignatureVariant.None; // an HMAC-SHA1 in base64 is always 28 characters
        }

        var match = UpgradeSignatureVariant.None;
        Span<byte> computed = stackalloc byte[HMACSHA1.HashSizeInBytes];
        foreach (var (variant, url) in UpgradeUrlVariants(webSocketUrl))
        {
            var data = Encoding.UTF8.GetBytes(url);
            foreach (var key in _keys)
            {
#pragma warning disable CA5350 // Twilio defines X-Twilio-Signature as HMAC-SHA1; we only verify it.
                HMACSHA1.HashData(key, data, computed);
#pragma warning restore CA5350
                if (CryptographicOperations.FixedTimeEquals(computed, expected) && match == UpgradeSignatureVariant.None)
                {
                    match = variant;
                }
            }
        }

        return match;
    }

    /// <summary>
    /// The URL strings a WebSocket upgrade signature is checked against, in order: as built, with a trailing slash,
    /// with the default port toggled (added when absent, removed when present), both, and the <c>:80</c> that
    /// Twilio's C# and Node helpers add to any URL whose scheme is not https (they treat wss that way).
    /// </summary>
    internal static IEnumerable<(UpgradeSignatureVariant Variant, string Url)> UpgradeUrlVariants(string url)
    {
        yield return (UpgradeSignatureVariant.Exact, url);
        yield return (UpgradeSignatureVariant.TrailingSlash, WithTrailingSlash(url));

        var (scheme, host, port, rest) = Split(url);
        var defaultPort = scheme.StartsWith("wss", StringComparison.OrdinalIgnoreCase) || scheme.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? ":443" : ":80";

        var toggled = port.Length == 0 ? scheme + host + defaultPort + rest : scheme + host + rest;
        yield return (UpgradeSignatureVariant.Port, toggled);
        yield return (UpgradeSignatureVariant.PortTrailingSlash, WithTrailingSlash(toggled));
        if (port.Length == 0 && defaultPort != ":80")
        {
            yield return (UpgradeSignatureVariant.HelperPort, scheme + host + ":80" + rest);
        }
    }

    /// <summary><paramref name="url"/> without <c>:443</c> (https) or <c>:80</c> (http) when it spells one out, else <see langword="null"/>.</summary>
    internal static string? WithoutExplicitDefaultPort(string url)
    {
        var (scheme, host, port, rest) = Split(url);
        var isDefault = (port == ":443" && scheme.Equals("https://", StringComparison.OrdinalIgnoreCase))
            || (port == ":80" && scheme.Equals("http://", StringComparison.OrdinalIgnoreCase));
        return isDefault ? scheme + host + rest : null;
    }

    /// <summary>Splits without normalising (System.Uri would hide a default port and re-escape the path).</summary>
    private static (string Scheme, string Host, string Port, string Tail) Split(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = url.AsSpan(schemeEnd).IndexOfAny('/', '?');
        authorityEnd = authorityEnd < 0 ? url.Length : schemeEnd + authorityEnd;
        var authority = url[schemeEnd..authorityEnd];
        var portStart = authority.IndexOf(':', authority.LastIndexOf(']') + 1);
        return portStart < 0
            ? (url[..schemeEnd], authority, "", url[authorityEnd..])
            : (url[..schemeEnd], authority[..portStart], authority[portStart..], url[authorityEnd..]);
    }

    private static string WithTrailingSlash(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? url : url[..query];
        var tail = query < 0 ? "" : url[query..];
        return path.EndsWith('/') ? url : path + "/" + tail;
    }
}

/// <summary>Which form of the stream URL a WebSocket upgrade's signature matched (a metric tag).</summary>
internal enum UpgradeSignatureVariant
{
    /// <summary>No signature header.</summary>
    Missing,

    /// <summary>A signature that matches no variant with any configured token.</summary>
    None,

    /// <summary>The wss URL exactly as built from PublicBaseUrl.</summary>
    Exact,

    /// <summary>The same with a trailing slash.</summary>
    TrailingSlash,

    /// <summary>With the default port added (:443 for wss) or, when the base has a port, without it.</summary>
    Port,

    /// <summary><see cref="Port"/> with a trailing slash.</summary>
    PortTrailingSlash,

    /// <summary>With <c>:80</c>, the port Twilio's helper libraries add to non-https URLs.</summary>
    HelperPort,

    /// <summary>Not checked: <c>Twilio:ValidateRequests</c> is off (Development only).</summary>
    Skipped,
}
