using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Twilio.TwiML;

namespace PhoneAgent.Telephony;

/// <summary>
/// A minimal-API result that writes TwiML (what Twilio.AspNet.Core's <c>TwiMLResult</c> does):
/// <c>200</c>, <c>Content-Type: application/xml</c>, the document from Twilio's own serialiser, and
/// <c>&lt;Response&gt;&lt;/Response&gt;</c> for <see langword="null"/>.
/// </summary>
internal sealed class TwiMLResult(TwiML? twiml) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string XmlContentType = "application/xml";
    private const string EmptyResponse = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Response></Response>";

    public TwiML? TwiML { get; } = twiml;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => XmlContentType;

    /// <summary>The document exactly as it is written to the response.</summary>
    public string Text => TwiML?.ToString() ?? EmptyResponse;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = XmlContentType + "; charset=utf-8";
        return httpContext.Response.WriteAsync(Text, Encoding.UTF8, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [XmlContentType]));
    }
}

/// <summary><c>TypedResults</c>-style factory for <see cref="TwiMLResult"/>.</summary>
internal static class TwiMLResults
{
    public static TwiMLResult TwiML(TwiML? twiml) => new(twiml);
}
