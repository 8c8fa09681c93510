using System.Security.Cryptography;
using System.Text;

namespace PhoneAgent.Tests.Telephony.Testing;

/// <summary>
/// Signs like Twilio (HMAC-SHA1 of URL + sorted name/value pairs, base64), for test flows. Checked against the
/// vectors made by Twilio's own Node helper (<c>SignatureVectorTests.Test_signer_matches_twilio_node</c>).
/// </summary>
public static class TwilioTestSigner
{
    public static string Sign(string token, string url, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in (parameters ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

#pragma warning disable CA5350 // Twilio's signature is HMAC-SHA1.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>A signed form POST to <paramref name="path"/>, signed over <paramref name="publicBaseUrl"/> + path.</summary>
    public static HttpRequestMessage SignedPost(string path, IReadOnlyDictionary<string, string> form, string token = TwilioEdgeFactory.PrimaryToken, string publicBaseUrl = TwilioEdgeFactory.PublicBaseUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Add("X-Twilio-Signature", Sign(token, publicBaseUrl + path, form));
        return request;
    }

    public static Dictionary<string, string> VoiceForm(string callSid, string to = "+15005550006", string accountSid = TwilioEdgeFactory.AccountSid) => new()
    {
        ["AccountSid"] = accountSid,
        ["ApiVersion"] = "2010-04-01",
        ["CallSid"] = callSid,
        ["CallStatus"] = "ringing",
        ["Direction"] = "inbound",
        ["From"] = "+14155550100",
        ["To"] = to,
    };

    public static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");
}
