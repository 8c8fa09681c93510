namespace PhoneAgent.CallReplay.Twiml;

/// <summary>One verb of a TwiML document, as CallReplay carries it out.</summary>
public abstract record TwimlVerb
{
    /// <summary>The element name (<c>Say</c>, <c>Dial</c>, …).</summary>
    public abstract string Name { get; }
}

/// <summary><c>&lt;Say&gt;</c>: Twilio speaks <paramref name="Text"/> (CallReplay waits for its estimated length).</summary>
public sealed record SayVerb(string Text, string? Voice, string? Language, int Loop) : TwimlVerb
{
    public override string Name => "Say";
}

/// <summary><c>&lt;Play&gt;</c>: an audio URL, or DTMF <paramref name="Digits"/> sent into the call.</summary>
public sealed record PlayVerb(string? Url, string? Digits, int Loop) : TwimlVerb
{
    public override string Name => "Play";
}

/// <summary><c>&lt;Pause length&gt;</c> (default 1 second).</summary>
public sealed record PauseVerb(TimeSpan Length) : TwimlVerb
{
    public override string Name => "Pause";
}

/// <summary><c>&lt;Hangup/&gt;</c>.</summary>
public sealed record HangupVerb : TwimlVerb
{
    public override string Name => "Hangup";
}

/// <summary><c>&lt;Reject reason&gt;</c> (<c>rejected</c> or <c>busy</c>).</summary>
public sealed record RejectVerb(string Reason) : TwimlVerb
{
    public override string Name => "Reject";
}

/// <summary><c>&lt;Redirect method&gt;url&lt;/Redirect&gt;</c>: fetch and run another document; verbs after it never run.</summary>
public sealed record RedirectVerb(string Url, string Method) : TwimlVerb
{
    public override string Name => "Redirect";
}

/// <summary>A party <c>&lt;Dial&gt;</c> rings: <c>Number</c>, <c>Client</c>, <c>Sip</c>, <c>Queue</c>, <c>Conference</c>, … or a bare number.</summary>
public sealed record DialTarget(string Kind, string Value)
{
    public override string ToString() => Kind == "Number" ? Value : $"{Kind.ToLowerInvariant()}:{Value}";
}

/// <summary><c>&lt;Dial&gt;</c>: adds a party to the call; with <c>action</c>, the outcome is posted there and verbs after it never run.</summary>
public sealed record DialVerb(IReadOnlyList<DialTarget> Targets, string? Action, string Method, TimeSpan Timeout, TimeSpan TimeLimit, string? CallerId) : TwimlVerb
{
    public override string Name => "Dial";
}

/// <summary><c>&lt;Enqueue&gt;</c>: puts the caller in a queue for a human.</summary>
public sealed record EnqueueVerb(string Queue, string? Action, string Method, string? WaitUrl, string? WorkflowSid) : TwimlVerb
{
    public override string Name => "Enqueue";

    /// <summary>How <see cref="WaitUrl"/> is requested (<c>waitUrlMethod</c>). The default value is POST.</summary>
    public string WaitUrlMethod { get; init; } = "POST";
}

/// <summary><c>&lt;Leave/&gt;</c>, in a queue's wait TwiML: the caller leaves the queue (<c>QueueResult=leave</c>).</summary>
public sealed record LeaveVerb : TwimlVerb
{
    public override string Name => "Leave";
}

/// <summary>The <c>&lt;Stream&gt;</c> noun of <c>&lt;Connect&gt;</c>.</summary>
public sealed record StreamNoun(
    string Url,
    string? StreamName,
    string Track,
    string? StatusCallback,
    string StatusCallbackMethod,
    IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary><c>&lt;Connect action&gt;&lt;Stream/&gt;&lt;/Connect&gt;</c>: a bidirectional Media Stream; TwiML waits until it ends.</summary>
public sealed record ConnectStreamVerb(string? Action, string Method, StreamNoun Stream) : TwimlVerb
{
    public override string Name => "Connect";
}

/// <summary><c>&lt;Start&gt;</c> (recording, unidirectional stream, …): noted, does not block.</summary>
public sealed record StartVerb(IReadOnlyList<string> Nouns) : TwimlVerb
{
    public override string Name => "Start";
}

/// <summary>A verb CallReplay does not carry out (<c>Gather</c>, <c>Record</c>, <c>Connect&lt;Room&gt;</c>, …): recorded, skipped.</summary>
public sealed record UnsupportedVerb(string Element, string Xml) : TwimlVerb
{
    public override string Name => Element;
}
