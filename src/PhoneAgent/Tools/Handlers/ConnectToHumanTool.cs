using System.Text.Json;
using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;
using PhoneAgent.Support;

namespace PhoneAgent.Tools.Handlers;

/// <summary>
/// <c>connect_to_human</c> (<c>reason</c>, <c>summary</c>): a warm hand-off. It answers at once, stores the summary for
/// the human (<see cref="IHandoffStore"/>, which redacts it), audits the request, and arms the transfer: once the agent
/// has told the caller and that turn has played, the bridge ends the stream with <see cref="NextAction.Transfer"/>, and
/// <c>/twilio/connect-action</c> dials or enqueues the profile's <c>transfer.target</c>.
/// </summary>
/// <remarks>
/// The destination comes from the profile only; nothing the model says can choose it. The caller is transferred even
/// when the summary or the audit entry cannot be stored (both are logged): reaching a human matters more to the caller
/// than the note they would have read.
/// </remarks>
internal sealed partial class ConnectToHumanTool(
    IAgentProfileCatalog profiles,
    IHandoffStore handoffs,
    IToolAuditLog audit,
    ICallVerificationStore verifications,
    TimeProvider timeProvider,
    ILogger<ConnectToHumanTool> logger) : IToolHandler
{
    public const string Name = "connect_to_human";

    /// <summary>The <see cref="NextAction.Reason"/> of the transfer (the model's words stay in the hand-off summary).</summary>
    public const string TransferReason = "connect_to_human";

    public const string Answer = "The transfer to a colleague is set up. Tell the caller in one short sentence that you are putting them through now, and say nothing after that.";

    public const string NoTarget = "No human team can be reached from this line. Apologise, and offer to take a callback request instead.";

    private const int MaxReason = 300;
    private const int MaxSummary = 2000;

    public ToolDeclaration Declaration { get; } = ToolDeclaration.Create(
        Name,
        "Hands the caller over to a human colleague. Call it when the caller asks for a person, or when their request needs a human (for example a refund above what you may approve). The colleague receives your summary. After it answers, tell the caller you are putting them through; the transfer starts once you have said it.",
        """
        {
          "type": "object",
          "properties": {
            "reason": { "type": "string", "description": "Why the caller needs a human, in a few words (e.g. 'refund above the approval limit')." },
            "summary": { "type": "string", "description": "What the colleague should know: who the caller is (if verified), what they want, what you already did or checked. No card numbers." }
          },
          "required": ["reason", "summary"]
        }
        """) with { Timeout = TimeSpan.FromSeconds(5) };

    public async ValueTask<ToolResult> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var call = invocation.Call;
        var reason = Text(invocation.Arguments, "reason", MaxReason);
        var summary = Text(invocation.Arguments, "summary", MaxSummary);
        if (reason is null || summary is null)
        {
            return ToolResult.Failure("Give both a 'reason' and a 'summary' for the colleague, then call connect_to_human again.");
        }

        var now = timeProvider.GetUtcNow();
        var settings = (profiles.Get(call.Profile) ?? profiles.Default).Transfer;
        var target = settings.Target?.Trim();
        if (string.IsNullOrEmpty(target))
        {
            await AuditAsync(new ToolAuditEntry(call.CallSid, invocation.CallId, Name, "refused", "no-transfer-target", null, null, null, reason, now));
            return ToolResult.Failure(NoTarget);
        }

        var verification = await verifications.GetAsync(call.CallSid, cancellationToken);
        var customerId = verification.IsVerified ? verification.CustomerId : null;
        var stored = true;
        try
        {
            await handoffs.SaveHandoffAsync(new HandoffSummary(call.CallSid, reason, summary, customerId, target, now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stored = false;
            Log.HandoffNotStored(logger, call.CallSid, e);
        }

        var action = settings.Action.ToString().ToLowerInvariant();
        await AuditAsync(new ToolAuditEntry(
            call.CallSid, invocation.CallId, Name, "transferred", stored ? "" : "summary-not-stored", customerId, null, null,
            $"{action} after the agent's next turn; reason: {reason}", now));
        call.Control.ArmTransfer(new NextAction.Transfer(TransferReason, settings.Action, target, settings.Timeout));
        Log.Armed(logger, call.CallSid, action, stored);
        return ToolResult.Success(Answer);
    }

    private static string? Text(JsonElement arguments, string name, int max)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? null : text.Length > max ? text[..max] : text;
    }

    private async Task AuditAsync(ToolAuditEntry entry)
    {
        try
        {
            // Not the call's token: a hand-off that was requested is recorded even if the call ends meanwhile.
            await audit.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.AuditFailed(logger, entry.CallSid, e);
        }
    }

    // EventIds 640-649 belong to this class; never reuse a removed id.
    private static partial class Log
    {
        [LoggerMessage(640, LogLevel.Information, "Call {CallSid}: transfer to a human armed ({Action}; summary stored: {Stored})", EventName = "ConnectToHumanArmed")]
        public static partial void Armed(ILogger logger, string callSid, string action, bool stored);

        [LoggerMessage(641, LogLevel.Error, "Call {CallSid}: the hand-off summary could not be stored; transferring without it", EventName = "ConnectToHumanSummaryNotStored")]
        public static partial void HandoffNotStored(ILogger logger, string callSid, Exception exception);

        [LoggerMessage(642, LogLevel.Error, "Call {CallSid}: the hand-off could not be audited", EventName = "ConnectToHumanAuditFailed")]
        public static partial void AuditFailed(ILogger logger, string callSid, Exception exception);
    }
}
