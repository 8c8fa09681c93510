namespace PhoneAgent.Support;

/// <summary>A customer account. ⚠️ Everything but <see cref="Id"/> is PII: never logged.</summary>
/// <param name="Id">Stable account id, e.g. <c>C-1001</c>.</param>
/// <param name="Name">Full name, as the agent may say it.</param>
/// <param name="PhoneE164">The number on the account (E.164); caller ID matching it never verifies on its own.</param>
/// <param name="Email">Contact e-mail, when known.</param>
/// <param name="PostalCode">Billing postcode, one factor of <c>postcodeAndLastOrder</c> verification.</param>
/// <param name="TimeZone">IANA time zone (e.g. <c>Europe/London</c>) for callbacks; <see langword="null"/> uses the profile's.</param>
/// <param name="PinHash">PBKDF2 hash of the account PIN (<c>CustomerPin</c>, written by the tools issue), or <see langword="null"/> when none is set.</param>
internal sealed record Customer(
    string Id,
    string Name,
    string PhoneE164,
    string? Email,
    string? PostalCode,
    string? TimeZone,
    string? PinHash);
