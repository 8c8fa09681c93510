using System.Net;

namespace PhoneAgent.CallReplay.FakeApi;

/// <summary>Settings of the fake Twilio REST API.</summary>
public sealed record FakeTwilioApiOptions
{
    /// <summary>The account whose calls it serves. The default value is <see cref="CallReplayDefaults.DevelopmentAccountSid"/>.</summary>
    public string AccountSid { get; init; } = CallReplayDefaults.DevelopmentAccountSid;

    /// <summary>HTTP Basic password for <see cref="AccountSid"/>. The default value is <see cref="CallReplayDefaults.DevelopmentAuthToken"/>.</summary>
    public string AuthToken { get; init; } = CallReplayDefaults.DevelopmentAuthToken;

    /// <summary>API keys (<c>SK…</c> → secret) also accepted for <see cref="AccountSid"/>.</summary>
    public IReadOnlyDictionary<string, string> ApiKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>Where it listens. The default value is 127.0.0.1.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks a free one. The default value is 0.</summary>
    public int Port { get; init; }

    /// <summary>How long an update waits for the call to act on it before answering. The default value is 5 seconds.</summary>
    public TimeSpan UpdateTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of resource timestamps and of <see cref="UpdateTimeout"/>. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Called for every request it answers.</summary>
    public Action<FakeApiRequest>? OnRequest { get; init; }
}

/// <summary>A request the fake REST API answered.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Form">Its form parameters.</param>
/// <param name="StatusCode">What it answered.</param>
/// <param name="ErrorCode">Twilio's error code in the answer, if an error.</param>
public sealed record FakeApiRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, int StatusCode, int? ErrorCode);
