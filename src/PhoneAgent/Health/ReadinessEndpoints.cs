namespace PhoneAgent.Health;

/// <summary>
/// Readiness probe: <c>GET /readyz</c> answers 200 "ready" while the service takes calls and 503 "draining" once it is
/// shutting down, so load balancers stop sending new calls while the calls in flight finish.
/// </summary>
internal static class ReadinessEndpoints
{
    public const string Path = "/readyz";

    public static IEndpointRouteBuilder MapReadinessEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, static (IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Text("draining", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready", "text/plain"))
            .WithName("Readiness");
        return endpoints;
    }
}
