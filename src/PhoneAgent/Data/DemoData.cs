using PhoneAgent.Support;

namespace PhoneAgent.Data;

/// <summary>
/// The demo customers and orders (README: "Demo data"), seeded when <c>Database:SeedDemoData</c> is true. Seeding
/// inserts only rows that are missing, so it runs at every start without duplicating anything or undoing what calls
/// changed (refunds made in a demo stay made).
/// </summary>
internal sealed class DemoData(PhoneAgentDatabase database, TimeProvider timeProvider)
{
    /// <summary>A demo customer; <see cref="Pin"/> is what a caller says, the database keeps only <see cref="PinHash"/>.</summary>
    /// <remarks>The hashes are computed once with <see cref="CustomerPin.Hash"/> and kept here, so a start spends no PBKDF2 time on them (a test checks each matches its PIN).</remarks>
    internal sealed record DemoCustomer(string Id, string Name, string PhoneE164, string Email, string PostalCode, string TimeZone, string Pin, string PinHash);

    internal static readonly DemoCustomer[] Customers =
    [
        new("C-1001", "Ada Lovelace", "+14155550101", "ada@example.com", "94107", "America/Los_Angeles", "4321",
            "pbkdf2-sha256$100000$UxRe2fwYiUKhQFdDA18MCA==$0VZ1+dPXbyIVS9fL9soacrCWNqOd3YnPegqO8ePIYjM="),
        new("C-1002", "Grace Hopper", "+12125550102", "grace@example.com", "10001", "America/New_York", "2468",
            "pbkdf2-sha256$100000$htumNWZqenN6N2/8S7Vayg==$pRixYi9Tj4uhS53Q3D7rBgo5wLtQ9T1WQJhI7eRIXkc="),
        new("C-1003", "Alan Turing", "+442079460103", "alan@example.co.uk", "SW1A 1AA", "Europe/London", "1357",
            "pbkdf2-sha256$100000$XDZMCL3PpjWwPaL+Z6wYiQ==$EIFuXMjYPf/FbNjHgCH9AQtO9Ri9i+wHv5L4prMHnys="),
        new("C-1004", "Katherine Johnson", "+13125550104", "katherine@example.com", "60601", "America/Chicago", "8642",
            "pbkdf2-sha256$100000$OlTQ2i7fkzAte/w1p6O+cg==$CsdPDIxmfqIa/bOOPhVL+3/2XVVZmCXV8A1Wg7tzImI="),
    ];

    /// <summary>Demo orders; placed <see cref="Order.PlacedAt"/> days before the seeding.</summary>
    internal static readonly (string Id, string CustomerId, int DaysAgo, string Status, string Summary, long TotalCents, long RefundedCents)[] Orders =
    [
        ("A1001", "C-1001", 3, "delivered", "Wireless headphones", 12999, 0),
        ("A1002", "C-1001", 12, "delivered", "Coffee grinder", 8950, 2000),
        ("A1003", "C-1001", 1, "processing", "Phone case", 2499, 0),
        ("A2001", "C-1002", 5, "shipped", "Mechanical keyboard", 15900, 0),
        ("A2002", "C-1002", 40, "delivered", "Desk lamp", 4500, 4500),
        ("A3001", "C-1003", 2, "delivered", "Kettle", 3999, 0),
        ("A4001", "C-1004", 7, "delivered", "Running shoes", 11000, 1000),
        ("A4002", "C-1004", 0, "processing", "Water bottle", 1800, 0),
    ];

    /// <summary>Inserts the missing demo rows; returns how many rows it wrote.</summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var written = 0;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var customer in Customers)
        {
            written += await database.ExecuteAsync(connection, transaction,
                """
                INSERT INTO customers (id, name, phone_e164, email, postal_code, postal_code_key, time_zone, pin_hash, created_at)
                VALUES (@id, @name, @phone, @email, @postal, @postalKey, @zone, @pin, @at)
                ON CONFLICT (id) DO NOTHING
                """, cancellationToken,
                ("id", customer.Id), ("name", customer.Name), ("phone", customer.PhoneE164), ("email", customer.Email), ("postal", customer.PostalCode),
                ("postalKey", SqlCustomerDirectory.PostalCodeKey(customer.PostalCode)), ("zone", customer.TimeZone), ("pin", customer.PinHash), ("at", now)).ConfigureAwait(false);
        }

        foreach (var order in Orders)
        {
            written += await database.ExecuteAsync(connection, transaction,
                """
                INSERT INTO orders (id, customer_id, placed_at, status, summary, currency, total_cents, refunded_cents)
                VALUES (@id, @customer, @placed, @status, @summary, 'USD', @total, @refunded)
                ON CONFLICT (id) DO NOTHING
                """, cancellationToken,
                ("id", order.Id), ("customer", order.CustomerId), ("placed", now.AddDays(-order.DaysAgo)), ("status", order.Status), ("summary", order.Summary),
                ("total", order.TotalCents), ("refunded", order.RefundedCents)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }
}
