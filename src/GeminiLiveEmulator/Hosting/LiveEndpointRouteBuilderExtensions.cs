using PhoneAgent.GeminiLiveEmulator.Sessions;

namespace PhoneAgent.GeminiLiveEmulator.Hosting;

internal static class LiveEndpointRouteBuilderExtensions
{
    /// <summary>Maps every BidiGenerateContent path of both back ends, and <c>GET /</c> for health checks.</summary>
    public static IEndpointRouteBuilder MapGeminiLiveEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var endpoint in LiveEndpoint.All)
        {
            routes.Map(endpoint.Path, context => LiveConnection.HandleAsync(context, endpoint));
        }

        routes.MapGet("/", static context => context.Response.WriteAsync("Gemini Live emulator: connect a WebSocket to /ws/…BidiGenerateContent\n"));
        return routes;
    }
}
