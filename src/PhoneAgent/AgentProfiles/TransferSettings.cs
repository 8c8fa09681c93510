using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary><c>transfer</c>: where <c>connect_to_human</c> sends the caller, and what happens when nobody answers.</summary>
internal sealed record TransferSettings
{
    /// <summary><c>enqueue</c> (a TaskRouter/queue name) or <c>dial</c> (E.164 number or SIP URI).</summary>
    /// <value>The default value is <see cref="TransferAction.Enqueue"/>.</value>
    public TransferAction Action { get; set; } = TransferAction.Enqueue;

    /// <summary>Queue name, number or SIP URI. Required when the profile enables <c>connect_to_human</c>.</summary>
    public string? Target { get; set; }

    /// <summary>How long <c>&lt;Dial&gt;</c> rings, or the longest wait in the queue, before the call comes back.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What happens on no answer, busy, failure or a full queue: back to the agent, or a callback request.</summary>
    /// <value>The default value is <see cref="TransferFallback.Agent"/>.</value>
    public TransferFallback WhenUnanswered { get; set; } = TransferFallback.Agent;
}

[JsonConverter(typeof(CamelCaseEnumConverter<TransferAction>))]
internal enum TransferAction
{
    Enqueue = 1,
    Dial,
}

[JsonConverter(typeof(CamelCaseEnumConverter<TransferFallback>))]
internal enum TransferFallback
{
    /// <summary>A new stream to the agent, told that nobody answered and given the hand-off summary.</summary>
    Agent = 1,

    /// <summary>The agent comes back only to take a callback request.</summary>
    Callback,
}
