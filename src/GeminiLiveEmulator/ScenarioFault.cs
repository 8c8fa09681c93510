namespace PhoneAgent.GeminiLiveEmulator;

/// <summary>
/// An injected fault. It fires once per session (resumed connections share the session), at <see cref="At"/> in
/// caller turn <see cref="Turn"/> (any turn when unset) or <see cref="AfterSeconds"/> after setupComplete, optionally
/// only on the n-th connection of the session (<see cref="Connection"/>: 1 = the first, 2 = the first resume, …).
/// </summary>
public sealed class ScenarioFault
{
    public required ScenarioFaultKind Kind { get; set; }

    public ScenarioFaultPoint? At { get; set; }

    public int? Turn { get; set; }

    public double? AfterSeconds { get; set; }

    public int? Connection { get; set; }

    /// <summary>Close code for <see cref="ScenarioFaultKind.Close"/> and <see cref="ScenarioFaultKind.RefuseResume"/>.</summary>
    public int? Code { get; set; }

    /// <summary>Close reason (cut to 123 bytes); defaults to the service's text for the code.</summary>
    public string? Reason { get; set; }

    /// <summary>Stall length.</summary>
    public double Seconds { get; set; }

    /// <summary>How many resumptions to refuse (<see cref="ScenarioFaultKind.RefuseResume"/>); 0 refuses all.</summary>
    public int Count { get; set; } = 1;

    public override string ToString() =>
        $"{Kind}{(At is { } at ? $" at {at}" : "")}{(Turn is { } t ? $" turn {t}" : "")}{(AfterSeconds is { } s ? $" after {s} s" : "")}{(Connection is { } c ? $" connection {c}" : "")}";
}
