using Twilio.TwiML;

namespace PhoneAgent.Telephony.CallControl;

/// <summary>Controls a live call over Twilio's REST API (the Call resource), under the <c>twilio-rest</c> Polly pipeline.</summary>
internal interface ITwilioCallControl
{
    /// <summary>Ends the call (<c>Status=completed</c>, which also ends calls in progress).</summary>
    /// <returns><see cref="CallControlOutcome.AlreadyEnded"/> for Twilio error 20404 (the call is gone): not an error.</returns>
    Task<CallControlOutcome> HangUpAsync(string callSid, CancellationToken cancellationToken);

    /// <summary>Replaces the call's TwiML at once (ends a running <c>&lt;Connect&gt;&lt;Stream&gt;</c>): transfer, announcement…</summary>
    Task<CallControlOutcome> UpdateTwiMLAsync(string callSid, TwiML twiml, CancellationToken cancellationToken);

    /// <summary>Sends the call to another TwiML URL (POST).</summary>
    Task<CallControlOutcome> RedirectAsync(string callSid, Uri url, CancellationToken cancellationToken);
}

/// <summary>Outcome of a call-control request that did not fail.</summary>
internal enum CallControlOutcome
{
    /// <summary>Twilio accepted the change.</summary>
    Done = 1,

    /// <summary>Twilio answered 404 with error 20404: the call had ended already.</summary>
    AlreadyEnded,
}
