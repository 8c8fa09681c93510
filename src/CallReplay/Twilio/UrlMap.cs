namespace PhoneAgent.CallReplay.Twilio;

/// <summary>
/// Maps the public URLs Twilio would use (<c>--public-url</c>, and every URL the TwiML names under it) to the address
/// CallReplay actually reaches. Signatures are always computed over the public form, as Twilio signs what it requests.
/// </summary>
/// <remarks>
/// The public and the actual webhook URL share a path suffix (<c>/twilio/voice</c>); what precedes it is the base on
/// each side (<c>https://agent.example.com/phone</c> ↔ <c>http://127.0.0.1:5050</c>). A URL under the public base, in
/// its http or WebSocket form, is rewritten onto the actual base with the matching scheme (wss → ws when the actual
/// base is http). Any other URL is used as it is.
/// </remarks>
public sealed class UrlMap
{
    private readonly Uri? _publicBase;
    private readonly Uri? _actualBase;

    public UrlMap(Uri actualWebhook, Uri? publicWebhook)
    {
        ArgumentNullException.ThrowIfNull(actualWebhook);
        ActualWebhook = actualWebhook;
        PublicWebhook = publicWebhook ?? actualWebhook;
        if (publicWebhook is null)
        {
            return;
        }

        var actualPath = actualWebhook.AbsolutePath;
        var publicPath = publicWebhook.AbsolutePath;
        var common = 0;
        while (common < actualPath.Length && common < publicPath.Length
            && actualPath[actualPath.Length - 1 - common] == publicPath[publicPath.Length - 1 - common])
        {
            common++;
        }

        // Cut the shared suffix at a segment boundary.
        var suffix = actualPath[(actualPath.Length - common)..];
        var slash = suffix.IndexOf('/', StringComparison.Ordinal);
        common = slash < 0 ? 0 : suffix.Length - slash;
        _publicBase = new Uri(publicWebhook.GetLeftPart(UriPartial.Authority) + publicPath[..(publicPath.Length - common)].TrimEnd('/') + "/");
        _actualBase = new Uri(actualWebhook.GetLeftPart(UriPartial.Authority) + actualPath[..(actualPath.Length - common)].TrimEnd('/') + "/");
    }

    /// <summary>The webhook URL CallReplay posts to.</summary>
    public Uri ActualWebhook { get; }

    /// <summary>The webhook URL as Twilio would request it (what the signature covers).</summary>
    public Uri PublicWebhook { get; }

    /// <summary>Where to send a request that Twilio would send to <paramref name="publicUrl"/>.</summary>
    public Uri ToActual(Uri publicUrl)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        if (_publicBase is null || _actualBase is null)
        {
            return publicUrl;
        }

        var webSocket = publicUrl.Scheme is "ws" or "wss";
        var httpForm = webSocket ? new UriBuilder(publicUrl) { Scheme = publicUrl.Scheme == "wss" ? "https" : "http", Port = publicUrl.IsDefaultPort ? -1 : publicUrl.Port }.Uri : publicUrl;
        if (!string.Equals(httpForm.GetLeftPart(UriPartial.Authority), _publicBase.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || !(httpForm.AbsolutePath + "/").StartsWith(_publicBase.AbsolutePath, StringComparison.Ordinal))
        {
            return publicUrl;
        }

        var rest = httpForm.AbsolutePath.Length >= _publicBase.AbsolutePath.Length ? httpForm.AbsolutePath[_publicBase.AbsolutePath.Length..] : "";
        var mapped = new Uri(_actualBase, rest + httpForm.Query);
        if (!webSocket)
        {
            return mapped;
        }

        return new UriBuilder(mapped) { Scheme = mapped.Scheme == "https" ? "wss" : "ws", Port = mapped.IsDefaultPort ? -1 : mapped.Port }.Uri;
    }
}
