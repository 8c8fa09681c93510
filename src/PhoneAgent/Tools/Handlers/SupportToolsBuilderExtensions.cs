using Microsoft.Extensions.DependencyInjection.Extensions;
using PhoneAgent.Knowledge;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

internal static class SupportToolsBuilderExtensions
{
    /// <summary>
    /// The support tools: <c>verify_caller</c>, <c>lookup_customer</c>, <c>lookup_order</c>, <c>process_refund</c>,
    /// <c>schedule_callback</c> and <c>search_knowledge_base</c>. They need the stores of <c>Support/</c> registered.
    /// </summary>
    public static ToolsBuilder AddSupportTools(this ToolsBuilder tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        tools.Services.TryAddSingleton<ToolAudit>();
        tools.Services.TryAddSingleton<CallVerificationGate>();
        tools.Services.TryAddSingleton<KnowledgeBases>();
        return tools
            .AddTool<VerifyCallerTool>()
            .AddTool<LookupCustomerTool>()
            .AddTool<LookupOrderTool>()
            .AddTool<ProcessRefundTool>()
            .AddTool<ScheduleCallbackTool>()
            .AddTool<SearchKnowledgeBaseTool>()
            .AddTool<ConnectToHumanTool>();
    }
}
