namespace PhoneAgent.GeminiLiveEmulator.Hosting;

/// <summary>
/// Collapses a doubled leading slash: Google's JS SDK connects to <c>//ws/…</c> whenever its base URL is an origin,
/// and ASP.NET Core routing answers that with 404.
/// </summary>
internal sealed class PathNormalizationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is not null && path.StartsWith("//", StringComparison.Ordinal))
        {
            context.Request.Path = new PathString("/" + path.TrimStart('/'));
        }

        return next(context);
    }
}
