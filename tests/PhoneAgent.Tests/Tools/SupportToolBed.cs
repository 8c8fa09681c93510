using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Knowledge;
using PhoneAgent.Support;
using PhoneAgent.Tests.Testing;
using PhoneAgent.Tools;
using PhoneAgent.Tools.Handlers;

namespace PhoneAgent.Tests.Tools;

/// <summary>
/// The support tools wired to in-memory stores and a profile each test shapes, at a time each test chooses. Demo
/// data: Ada (C-1, PIN 4321, postcode SW1A 1AA, orders A1001 then A1002) and Bob (C-2, PIN 9999, order B2001).
/// </summary>
internal sealed class SupportToolBed : IDisposable
{
    public const string AdaPhone = "+15550001111";
    public const string BobPhone = "+15550002222";
    public const string CallSid = "CA00000000000000000000000000000001";

    /// <summary>Tuesday 2026-03-10 15:00 UTC = 11:00 in New York (EDT): open.</summary>
    public static readonly DateTimeOffset OpenHour = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    private static readonly string PinHash4321 = CustomerPin.Hash("4321", 1000);
    private static readonly string PinHash9999 = CustomerPin.Hash("9999", 1000);
    private readonly TempProfilesFolder _folder = new();
    private int _ids;

    public SupportToolBed(Func<JsonObject, JsonObject>? shape = null, DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? OpenHour);
        var profile = ProfileJson.Valid("support")
            .With("tools.enabled", new JsonArray("verify_caller", "lookup_customer", "lookup_order", "process_refund", "schedule_callback", "search_knowledge_base", "end_call"))
            .With("verification", new JsonObject { ["method"] = "pin", ["maxAttempts"] = 3 })
            .With("refunds", new JsonObject { ["autoApproveLimit"] = 50, ["currency"] = "USD" })
            .With("businessHours", JsonNode.Parse("""
                { "timeZone": "America/New_York",
                  "weekly": [ { "days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "open": "08:00", "close": "20:00" },
                              { "days": ["saturday"], "open": "09:00", "close": "17:00" } ],
                  "closedDates": ["2026-12-25"] }
                """))
            .With("knowledge", new JsonObject { ["articles"] = new JsonArray("knowledge/*.md") });
        Directory.CreateDirectory(Path.Combine(_folder.FullPath, "knowledge"));
        _folder.WriteText("knowledge/refunds.md", "# Refunds\n\n## How refunds are paid\n\nRefunds go back to the card you paid with within 5 to 10 business days.\n\n## Partial refunds\n\nWe can refund one item of an order.\n");
        _folder.WriteText("knowledge/shipping.md", "# Shipping\n\n## Express shipping\n\nExpress delivery takes 1 to 2 business days.\n\n## Standard shipping\n\nStandard shipping takes 3 to 5 business days and is free over 35 USD.\n");
        _folder.Write("support.json", (shape ?? (p => p))(profile));
        Profiles = _folder.Load("support");

        Stores
            .Add(new Customer("C-1", "Ada Lovelace", AdaPhone, "ada@example.com", "SW1A 1AA", "Europe/London", PinHash4321))
            .Add(new Customer("C-2", "Bob Stone", BobPhone, null, "90210", null, PinHash9999))
            .Add(new Order("A1001", "C-1", OpenHour.AddDays(-20), "delivered", "Kettle", "USD", 8000, 0))
            .Add(new Order("A1002", "C-1", OpenHour.AddDays(-3), "shipped", "Teapot and cups", "USD", 12000, 0))
            .Add(new Order("B2001", "C-2", OpenHour.AddDays(-5), "delivered", "Lamp", "USD", 4000, 0))
            .Add(new Order("E3001", "C-1", OpenHour.AddDays(-30), "delivered", "Mug", "EUR", 2000, 0));

        var audit = new ToolAudit(Stores, Time);
        var gate = new CallVerificationGate(Stores, Stores);
        Verify = new VerifyCallerTool(Profiles, Stores, Stores, audit, Time);
        LookupCustomer = new LookupCustomerTool(Stores, gate, audit);
        LookupOrder = new LookupOrderTool(Stores, gate, audit);
        Refund = new ProcessRefundTool(Profiles, Stores, Stores, gate, audit, Time);
        Callback = new ScheduleCallbackTool(Profiles, Stores, gate, audit, Time);
        Search = new SearchKnowledgeBaseTool(new KnowledgeBases(Profiles));
    }

    public FakeTimeProvider Time { get; }

    public AgentProfileCatalog Profiles { get; }

    public InMemorySupportStores Stores { get; } = new();

    public VerifyCallerTool Verify { get; }

    public LookupCustomerTool LookupCustomer { get; }

    public LookupOrderTool LookupOrder { get; }

    public ProcessRefundTool Refund { get; }

    public ScheduleCallbackTool Callback { get; }

    public SearchKnowledgeBaseTool Search { get; }

    /// <summary>Who is calling: the number (from Twilio's <c>From</c>) and its STIR/SHAKEN attestation.</summary>
    public ToolCallContext Caller { get; set; } = new(CallSid, "support", AdaPhone, new RecordingCallControl());

    public IReadOnlyList<ToolAuditEntry> Audit(string tool) => [.. Stores.Audit.Where(e => e.Tool == tool)];

    public Task<ToolResult> InvokeAsync(IToolHandler tool, string argumentsJson, CancellationToken cancellationToken = default)
    {
        using var document = JsonDocument.Parse(argumentsJson);
        var invocation = new ToolInvocation($"call-{++_ids}", tool.Declaration.Name, document.RootElement.Clone(), Caller);
        return tool.InvokeAsync(invocation, cancellationToken).AsTask();
    }

    /// <summary>Verifies the call as Ada, by PIN.</summary>
    public async Task VerifyAdaAsync()
    {
        var result = await InvokeAsync(Verify, """{"pin":"4321"}""");
        Assert.False(result.IsError, result.Error);
    }

    public void Dispose() => _folder.Dispose();
}

internal static class ToolResultAssertions
{
    public static JsonElement Output(this ToolResult result)
    {
        Assert.False(result.IsError, result.Error);
        return result.Output!.Value;
    }

    public static string Text(this ToolResult result, string property) => result.Output().GetProperty(property).ToString();
}
