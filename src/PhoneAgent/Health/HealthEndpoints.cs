namespace PhoneAgent.Health;

/// <summary>Liveness probe for load balancers and Cloud Run: <c>GET /healthz</c> answers 200 "ok".</summary>
internal static class HealthEndpoints
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, static () => TypedResults.Text("ok", "text/plain"))
            .WithName("Health");
        endpoints.MapReadinessEndpoints();
        return endpoints;
    }
}
