using PhoneAgent.CallReplay.Twiml;

namespace PhoneAgent.CallReplay.Calls;

/// <summary>What a REST update of the Call resource asks of a live call.</summary>
internal abstract record CallUpdate
{
    /// <summary><c>Status=completed</c>: hang up now.</summary>
    internal sealed record Hangup : CallUpdate;

    /// <summary><c>Twiml=…</c>: run this document now (a stream ends with <c>stop</c>).</summary>
    internal sealed record RunTwiml(TwimlDocument Document) : CallUpdate;

    /// <summary><c>Url=…</c> (+ <c>Method</c>): fetch a document from here and run it now.</summary>
    internal sealed record FetchUrl(Uri Url, string Method) : CallUpdate;
}

/// <summary>A live call, as the fake REST API sees it.</summary>
internal interface ISimulatedCall
{
    string CallSid { get; }

    string AccountSid { get; }

    string From { get; }

    string To { get; }

    /// <summary>Twilio's call status: <c>ringing</c>, <c>in-progress</c>, <c>completed</c>, …</summary>
    string Status { get; }

    DateTimeOffset Created { get; }

    DateTimeOffset? Answered { get; }

    DateTimeOffset? Ended { get; }

    /// <summary>Carries out <paramref name="update"/>; completes once the call has acted on it. False when the call is over.</summary>
    Task<bool> UpdateAsync(CallUpdate update);
}
