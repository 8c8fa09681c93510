namespace PhoneAgent.Support;

/// <summary>Read access to customers and their orders (the database's <c>customers</c> and <c>orders</c> tables).</summary>
internal interface ICustomerDirectory
{
    ValueTask<Customer?> FindByIdAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>Accounts whose number is <paramref name="phoneE164"/> (a shared line may hold several).</summary>
    ValueTask<IReadOnlyList<Customer>> FindByPhoneAsync(string phoneE164, CancellationToken cancellationToken);

    /// <summary>Accounts with this billing postcode (compared without spaces, case-insensitively).</summary>
    ValueTask<IReadOnlyList<Customer>> FindByPostalCodeAsync(string postalCode, CancellationToken cancellationToken);

    /// <summary>The order, whoever owns it (callers of this check <see cref="Order.CustomerId"/>).</summary>
    ValueTask<Order?> FindOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>The customer's orders, newest first.</summary>
    ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string customerId, int limit, CancellationToken cancellationToken);
}
