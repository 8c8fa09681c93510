namespace PhoneAgent.AgentProfiles;

/// <summary>Names of the built-in tools whose use the profile rules depend on.</summary>
internal static class ToolNames
{
    public const string VerifyCaller = "verify_caller";
    public const string LookupCustomer = "lookup_customer";
    public const string LookupOrder = "lookup_order";
    public const string ProcessRefund = "process_refund";
    public const string ScheduleCallback = "schedule_callback";
    public const string SearchKnowledgeBase = "search_knowledge_base";
    public const string ConnectToHuman = "connect_to_human";

    /// <summary>Tools that refuse until <see cref="VerifyCaller"/> has verified the call.</summary>
    public static readonly IReadOnlyList<string> NeedVerification = [LookupCustomer, LookupOrder, ProcessRefund];
}
