using System.Diagnostics.Metrics;
using PhoneAgent.Bridge;

namespace PhoneAgent.Health;

/// <summary>
/// Instance-level gauges on the Meter <c>PhoneAgent.Instance</c>, observed at each scrape so they exist from the first
/// one, before any call (an up-down counter appears only once something is recorded, and an autoscaler needs a zero):
/// <list type="bullet">
/// <item><c>phoneagent.instance.calls.in_flight</c> [<c>phoneagent_instance_calls_in_flight</c>]: calls counted against
/// <c>Bridge:MaxConcurrentCalls</c> (running streams and admitted calls whose stream has not started): the
/// autoscaling signal.</item>
/// <item><c>phoneagent.instance.calls.limit</c> [<c>phoneagent_instance_calls_limit</c>]: <c>Bridge:MaxConcurrentCalls</c>.</item>
/// <item><c>phoneagent.instance.draining</c> [<c>phoneagent_instance_draining</c>]: 1 from SIGTERM until the process ends.</item>
/// </list>
/// </summary>
internal sealed class InstanceMetrics : IHostedService
{
    public const string MeterName = "PhoneAgent.Instance";

    public InstanceMetrics(IMeterFactory meterFactory, BridgeCallAdmission admission, Microsoft.Extensions.Options.IOptions<BridgeOptions> bridge, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("phoneagent.instance.calls.in_flight", () => admission.InFlight, "{call}", "Calls in flight or admitted on this instance.");
        meter.CreateObservableGauge("phoneagent.instance.calls.limit", () => bridge.Value.MaxConcurrentCalls, "{call}", "Bridge:MaxConcurrentCalls on this instance.");
        meter.CreateObservableGauge("phoneagent.instance.draining", () => lifetime.ApplicationStopping.IsCancellationRequested ? 1 : 0, description: "1 while the instance drains on shutdown.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
