namespace PhoneAgent.Calls;

/// <summary>One status callback (or connect-action decision) recorded on a call.</summary>
/// <param name="Source"><c>call</c> (call-status), <c>stream</c> (stream-status) or <c>connect-action</c>.</param>
/// <param name="Status">Twilio's <c>CallStatus</c>, its <c>StreamEvent</c>, or the decision taken.</param>
/// <param name="At">When this service received it.</param>
/// <param name="Detail">Optional: <c>StreamSid</c>, <c>StreamError</c>, <c>CallDuration</c>… (no PII).</param>
internal sealed record CallStatusEvent(string Source, string Status, DateTimeOffset At, string? Detail = null);
