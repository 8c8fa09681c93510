using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tools;

internal static class ToolsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the tool registry (checked at start together with every profile's <c>tools.enabled</c>), the
    /// built-in <c>end_call</c>, the support tools (<see cref="SupportToolsBuilderExtensions.AddSupportTools"/>), and whatever <paramref name="configure"/> adds.
    /// </summary>
    public static IServiceCollection AddTools(this IServiceCollection services, Action<ToolsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ToolsBuilder(services).AddTool<EndCallTool>().AddSupportTools();
        configure?.Invoke(builder);
        services.TryAddSingleton<ToolRegistry>();
        services.AddHostedService<ToolRegistryStartup>();
        return services;
    }
}
