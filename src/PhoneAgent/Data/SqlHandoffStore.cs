using PhoneAgent.Privacy;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary><see cref="IHandoffStore"/> on <c>handoffs</c> and <c>callbacks</c>; the free text is redacted before it is written.</summary>
internal sealed class SqlHandoffStore(PhoneAgentDatabase database) : IHandoffStore
{
    private const string CallbackColumns = "id, call_sid, customer_id, phone_e164, due_at, due_offset_minutes, time_zone, topic, created_at";

    public async ValueTask SaveHandoffAsync(HandoffSummary handoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(connection, null,
            "INSERT INTO handoffs (id, call_sid, reason, summary, customer_id, target, created_at) VALUES (@id, @sid, @reason, @summary, @customer, @target, @at)",
            cancellationToken, ("id", NewId("HO")), ("sid", handoff.CallSid), ("reason", Redactor.Redact(handoff.Reason)), ("summary", Redactor.Redact(handoff.Summary)),
            ("customer", handoff.CustomerId), ("target", handoff.Target), ("at", handoff.CreatedAt)).ConfigureAwait(false);
    }

    public async ValueTask<HandoffSummary?> FindLatestHandoffAsync(string callSid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null,
            "SELECT call_sid, reason, summary, customer_id, target, created_at FROM handoffs WHERE call_sid = @sid ORDER BY created_at DESC, id DESC LIMIT 1",
            ("sid", callSid));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new HandoffSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), database.ReadTime(reader, 5))
            : null;
    }

    public async ValueTask<CallbackRequest> SaveCallbackAsync(CallbackRequest callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var stored = callback with { Id = NewId("CB"), Topic = Redactor.Redact(callback.Topic) };
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(connection, null,
            $"INSERT INTO callbacks ({CallbackColumns}) VALUES (@id, @sid, @customer, @phone, @due, @offset, @zone, @topic, @at)", cancellationToken,
            ("id", stored.Id), ("sid", stored.CallSid), ("customer", stored.CustomerId), ("phone", stored.PhoneE164), ("due", stored.DueAt),
            ("offset", (int)stored.DueAt.Offset.TotalMinutes), ("zone", stored.TimeZone), ("topic", stored.Topic), ("at", stored.CreatedAt)).ConfigureAwait(false);
        return stored;
    }

    public async ValueTask<IReadOnlyList<CallbackRequest>> ListCallbacksAsync(string callSid, CancellationToken cancellationToken)
    {
        var callbacks = new List<CallbackRequest>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, $"SELECT {CallbackColumns} FROM callbacks WHERE call_sid = @sid ORDER BY created_at, id", ("sid", callSid));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var offset = TimeSpan.FromMinutes(Convert.ToInt32(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture));
            callbacks.Add(new CallbackRequest(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                database.ReadTime(reader, 4).ToOffset(offset), reader.GetString(6), reader.GetString(7), database.ReadTime(reader, 8)));
        }

        return callbacks;
    }

    // Time-ordered (version 7) so ids sort roughly by creation, which keeps the tie-break in the ORDER BYs meaningful.
    private static string NewId(string prefix) => prefix + Guid.CreateVersion7().ToString("N");
}
