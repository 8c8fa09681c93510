using System.Diagnostics;

namespace PhoneAgent.Hosting;

/// <summary>
/// Twilio's webhooks (<c>POST /twilio/*</c>, form-encoded) run inside a logging scope with their <c>CallSid</c>, and
/// their server span is tagged with it, so every log line and trace of a webhook names its call. (The call session
/// opens the same scope for the media stream once Twilio's <c>start</c> names the call.) The form is read once and
/// cached by ASP.NET Core, so the endpoint and the signature filter see it unchanged.
/// </summary>
internal sealed class CallLogScopeMiddleware(RequestDelegate next, ILogger<CallLogScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/twilio", StringComparison.Ordinal) || !request.HasFormContentType)
        {
            await next(context);
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        var callSid = form["CallSid"].ToString();
        if (callSid.Length == 0)
        {
            await next(context);
            return;
        }

        Activity.Current?.SetTag(PhoneAgentTelemetry.CallSidTag, callSid);
        using (logger.BeginScope(new KeyValuePair<string, object>[] { new("CallSid", callSid) }))
        {
            await next(context);
        }
    }
}

/// <summary>Puts <see cref="CallLogScopeMiddleware"/> at the front of the pipeline.</summary>
internal sealed class CallLogScopeStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<CallLogScopeMiddleware>();
        next(app);
    };
}
