namespace PhoneAgent.CallReplay.Twiml;

/// <summary>A parsed TwiML <c>&lt;Response&gt;</c>.</summary>
/// <param name="Verbs">The verbs in document order.</param>
/// <param name="Xml">The document as received.</param>
public sealed record TwimlDocument(IReadOnlyList<TwimlVerb> Verbs, string Xml)
{
    /// <summary>One line per verb, for the log: <c>Connect(action=…) Stream(url=…)</c>.</summary>
    public string Describe() => Verbs.Count == 0 ? "(empty)" : string.Join(" → ", Verbs.Select(TwimlParser.Describe));
}

/// <summary>A document Twilio would refuse (error 12100, "Document parse failure").</summary>
public sealed class TwimlParseException : Exception
{
    public TwimlParseException()
    {
    }

    public TwimlParseException(string message)
        : base(message)
    {
    }

    public TwimlParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Twilio's error code for a document that cannot be parsed.</summary>
    public int ErrorCode { get; } = 12100;
}
