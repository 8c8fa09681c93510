using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PhoneAgent.Tools;

/// <summary>Adds tool handlers: <c>services.AddTools(t =&gt; t.AddTool&lt;LookupOrderTool&gt;())</c>.</summary>
internal sealed class ToolsBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Registers <typeparamref name="THandler"/> as a singleton <see cref="IToolHandler"/>.</summary>
    public ToolsBuilder AddTool<THandler>()
        where THandler : class, IToolHandler
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IToolHandler, THandler>());
        return this;
    }
}
