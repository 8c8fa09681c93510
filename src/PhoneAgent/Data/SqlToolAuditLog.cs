using PhoneAgent.Privacy;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary><see cref="IToolAuditLog"/> on the append-only <c>tool_audit</c> table; details are redacted before they are written.</summary>
internal sealed class SqlToolAuditLog(PhoneAgentDatabase database) : IToolAuditLog
{
    public async ValueTask AppendAsync(ToolAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(connection, null,
            """
            INSERT INTO tool_audit (call_sid, tool_call_id, tool, outcome, reason, customer_id, order_id, amount_cents, detail, at)
            VALUES (@sid, @toolCallId, @tool, @outcome, @reason, @customer, @order, @amount, @detail, @at)
            """, cancellationToken,
            ("sid", entry.CallSid), ("toolCallId", entry.ToolCallId), ("tool", entry.Tool), ("outcome", entry.Outcome), ("reason", entry.Reason),
            ("customer", entry.CustomerId), ("order", entry.OrderId), ("amount", entry.AmountCents), ("detail", Redactor.Redact(entry.Detail)), ("at", entry.At)).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ToolAuditEntry>> ListByCallAsync(string callSid, CancellationToken cancellationToken)
    {
        var entries = new List<ToolAuditEntry>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null,
            "SELECT call_sid, tool_call_id, tool, outcome, reason, customer_id, order_id, amount_cents, detail, at FROM tool_audit WHERE call_sid = @sid ORDER BY id",
            ("sid", callSid));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ToolAuditEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetString(8), database.ReadTime(reader, 9)));
        }

        return entries;
    }
}
