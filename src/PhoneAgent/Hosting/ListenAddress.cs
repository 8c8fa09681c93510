namespace PhoneAgent.Hosting;

/// <summary>The listening address decision.</summary>
/// <param name="Source">Which setting decided it.</param>
/// <param name="Url">The URL the service applies itself, or <see langword="null"/> when the host's own setting stands.</param>
internal sealed record ListenAddress(ListenAddressSource Source, string? Url);
