using System.Data.Common;
using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary><see cref="ICustomerDirectory"/> on the <c>customers</c> and <c>orders</c> tables.</summary>
internal sealed class SqlCustomerDirectory(PhoneAgentDatabase database) : ICustomerDirectory
{
    private const string CustomerColumns = "id, name, phone_e164, email, postal_code, time_zone, pin_hash";
    private const string OrderColumns = "id, customer_id, placed_at, status, summary, currency, total_cents, refunded_cents";

    /// <summary>The form postcodes are compared in: upper case, no spaces.</summary>
    public static string PostalCodeKey(string postalCode) =>
        string.Concat(postalCode.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();

    public async ValueTask<Customer?> FindByIdAsync(string customerId, CancellationToken cancellationToken) =>
        (await CustomersAsync($"SELECT {CustomerColumns} FROM customers WHERE id = @value", customerId, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async ValueTask<IReadOnlyList<Customer>> FindByPhoneAsync(string phoneE164, CancellationToken cancellationToken) =>
        await CustomersAsync($"SELECT {CustomerColumns} FROM customers WHERE phone_e164 = @value ORDER BY id", phoneE164, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<Customer>> FindByPostalCodeAsync(string postalCode, CancellationToken cancellationToken) =>
        await CustomersAsync($"SELECT {CustomerColumns} FROM customers WHERE postal_code_key = @value ORDER BY id", PostalCodeKey(postalCode), cancellationToken).ConfigureAwait(false);

    public async ValueTask<Order?> FindOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadOrdersAsync(database, connection, null, $"SELECT {OrderColumns} FROM orders WHERE id = @id", cancellationToken, ("id", orderId)).ConfigureAwait(false)).SingleOrDefault();
    }

    public async ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string customerId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOrdersAsync(database, connection, null,
            $"SELECT {OrderColumns} FROM orders WHERE customer_id = @customer ORDER BY placed_at DESC, id DESC LIMIT @limit", cancellationToken,
            ("customer", customerId), ("limit", limit)).ConfigureAwait(false);
    }

    internal static async ValueTask<List<Order>> ReadOrdersAsync(PhoneAgentDatabase database, DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var orders = new List<Order>();
        await using var command = database.Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            orders.Add(new Order(reader.GetString(0), reader.GetString(1), database.ReadTime(reader, 2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt64(6), reader.GetInt64(7)));
        }

        return orders;
    }

    private async ValueTask<List<Customer>> CustomersAsync(string sql, string value, CancellationToken cancellationToken)
    {
        var customers = new List<Customer>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = database.Command(connection, null, sql, ("value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            customers.Add(new Customer(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return customers;
    }
}
