namespace PhoneAgent.Support;

/// <summary>The append-only tool audit log (<c>tool_audit</c> table).</summary>
internal interface IToolAuditLog
{
    /// <summary>Appends one entry; <see cref="ToolAuditEntry.Detail"/> is redacted by the store before it is written.</summary>
    ValueTask AppendAsync(ToolAuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The call's entries, oldest first.</summary>
    ValueTask<IReadOnlyList<ToolAuditEntry>> ListByCallAsync(string callSid, CancellationToken cancellationToken);
}
