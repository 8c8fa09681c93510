namespace PhoneAgent.CallReplay.Twilio;

/// <summary>What a webhook answered.</summary>
/// <param name="Url">The public URL requested (the one signed).</param>
/// <param name="StatusCode">The HTTP status, or 0 when no response came.</param>
/// <param name="ContentType">The response's media type, if any.</param>
/// <param name="Body">The response body.</param>
/// <param name="Elapsed">From sending the request to reading the whole response.</param>
/// <param name="Error">Why no response came (timeout, connection refused).</param>
public sealed record WebhookResponse(Uri Url, int StatusCode, string? ContentType, string Body, TimeSpan Elapsed, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
