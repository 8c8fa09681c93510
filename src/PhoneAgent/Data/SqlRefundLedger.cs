using System.Data.Common;
using PhoneAgent.Privacy;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary>
/// <see cref="IRefundLedger"/> on <c>refunds</c> and <c>orders</c>. The money rule lives in the database, not in a
/// read: the refund row is inserted under the unique key (CallSid, order), then the order's refunded amount is raised
/// by a conditional <c>UPDATE … WHERE total_cents - refunded_cents &gt;= @amount</c>. Concurrent refunds of one order
/// queue on the order's row (PostgreSQL) or on the write lock (SQLite), and each re-checks the condition against what
/// the others committed, so the sum can never pass the total. The caller's last-moment check runs just before commit.
/// </summary>
internal sealed class SqlRefundLedger(PhoneAgentDatabase database) : IRefundLedger
{
    private const string RefundColumns = "id, call_sid, tool_call_id, order_id, amount_cents, currency, reason, created_at";

    public async ValueTask<RefundOutcome> TryRefundAsync(RefundRequest request, Func<bool> stillWanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stillWanted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.AmountCents);

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

        // Ownership first (it never changes): an order that is not the caller's is "not found", as a missing one is.
        var order = (await SqlCustomerDirectory.ReadOrdersAsync(database, connection, transaction,
            "SELECT id, customer_id, placed_at, status, summary, currency, total_cents, refunded_cents FROM orders WHERE id = @id", cancellationToken,
            ("id", request.OrderId)).ConfigureAwait(false)).SingleOrDefault();
        if (order is null || order.CustomerId != request.CustomerId)
        {
            return new RefundOutcome(RefundStatus.OrderNotFound, null, 0, 0, null);
        }

        var refundId = "RF" + Guid.CreateVersion7().ToString("N");
        var inserted = await database.ScalarAsync(connection, transaction,
            $"""
            INSERT INTO refunds ({RefundColumns}, customer_id)
            VALUES (@id, @sid, @toolCallId, @order, @amount, @currency, @reason, @at, @customer)
            ON CONFLICT (call_sid, order_id) DO NOTHING
            RETURNING id
            """, cancellationToken,
            ("id", refundId), ("sid", request.CallSid), ("toolCallId", request.ToolCallId), ("order", request.OrderId), ("amount", request.AmountCents),
            ("currency", order.Currency), ("reason", Redactor.Redact(request.Reason)), ("at", request.RequestedAt), ("customer", request.CustomerId)).ConfigureAwait(false);
        if (inserted is null)
        {
            // This call refunded this order already (a duplicate or a retry): report that refund, move nothing.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            var existing = (await ReadAsync(connection, null, $"SELECT {RefundColumns} FROM refunds WHERE call_sid = @sid AND order_id = @order", cancellationToken,
                ("sid", request.CallSid), ("order", request.OrderId)).ConfigureAwait(false)).Single();
            var now = await RemainingAsync(connection, request.OrderId, cancellationToken).ConfigureAwait(false);
            return new RefundOutcome(RefundStatus.AlreadyRefundedThisCall, existing.Id, existing.AmountCents, now, order.Currency);
        }

        var remaining = await database.ScalarAsync(connection, transaction,
            """
            UPDATE orders SET refunded_cents = refunded_cents + @amount
            WHERE id = @order AND customer_id = @customer AND total_cents - refunded_cents >= @amount
            RETURNING total_cents - refunded_cents
            """, cancellationToken,
            ("amount", request.AmountCents), ("order", request.OrderId), ("customer", request.CustomerId)).ConfigureAwait(false);
        if (remaining is null)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            var now = await RemainingAsync(connection, request.OrderId, cancellationToken).ConfigureAwait(false);
            return new RefundOutcome(RefundStatus.ExceedsRefundable, null, 0, now, order.Currency);
        }

        // Last of all, just before the commit: a tool call cancelled by now (barge-in, reconnect, hang-up) moves no money.
        if (!stillWanted())
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            return new RefundOutcome(RefundStatus.Cancelled, null, 0, order.RefundableCents, order.Currency);
        }

        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return new RefundOutcome(RefundStatus.Granted, refundId, request.AmountCents, Convert.ToInt64(remaining, System.Globalization.CultureInfo.InvariantCulture), order.Currency);
    }

    public async ValueTask<IReadOnlyList<RefundRecord>> ListByOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, $"SELECT {RefundColumns} FROM refunds WHERE order_id = @order ORDER BY created_at, id", cancellationToken, ("order", orderId)).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<RefundRecord>> ListByCallAsync(string callSid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, $"SELECT {RefundColumns} FROM refunds WHERE call_sid = @sid ORDER BY created_at, id", cancellationToken, ("sid", callSid)).ConfigureAwait(false);
    }

    private async ValueTask<long> RemainingAsync(DbConnection connection, string orderId, CancellationToken cancellationToken) =>
        Convert.ToInt64(await database.ScalarAsync(connection, null, "SELECT total_cents - refunded_cents FROM orders WHERE id = @order", cancellationToken, ("order", orderId)).ConfigureAwait(false) ?? 0L,
            System.Globalization.CultureInfo.InvariantCulture);

    private async ValueTask<List<RefundRecord>> ReadAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var refunds = new List<RefundRecord>();
        await using var command = database.Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            refunds.Add(new RefundRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), reader.GetString(6), database.ReadTime(reader, 7)));
        }

        return refunds;
    }
}
