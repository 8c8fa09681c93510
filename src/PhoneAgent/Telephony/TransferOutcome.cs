using System.Collections.Frozen;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony;

/// <summary>How a transfer (<c>&lt;Dial&gt;</c> or <c>&lt;Enqueue&gt;</c>) ended, as <c>POST /twilio/dial-action</c> classifies it.</summary>
internal enum TransferOutcomeKind
{
    /// <summary>A human took the call (and the conversation with them is over when Twilio asks).</summary>
    Answered = 1,

    /// <summary>Nobody was reached (busy, no answer, failure, full queue, the wait ran out): the caller is still on the line.</summary>
    NotReached,

    /// <summary>The caller hung up before anyone answered.</summary>
    CallerLeft,
}

/// <summary>
/// Twilio's report of one transfer: <c>DialCallStatus</c> for <c>&lt;Dial&gt;</c>, <c>QueueResult</c> for
/// <c>&lt;Enqueue&gt;</c>. Recorded in the call's status history (source <c>dial-action</c>), from which the bridge
/// reads it again when the caller comes back to the agent.
/// </summary>
/// <param name="Kind">What it means for the caller.</param>
/// <param name="Parameter"><c>DialCallStatus</c> or <c>QueueResult</c>.</param>
/// <param name="Status">Twilio's value, e.g. <c>busy</c> or <c>queue-full</c>.</param>
internal sealed record TransferOutcome(TransferOutcomeKind Kind, string Parameter, string Status)
{
    /// <summary>The <see cref="CallStatusEvent.Source"/> of the event this outcome is recorded as.</summary>
    public const string StatusSource = "dial-action";

    public const string DialParameter = "DialCallStatus";

    public const string QueueParameter = "QueueResult";

    // completed: the human talked and one side hung up; answered: Twilio's value when the bridged leg was answered.
    private static readonly FrozenSet<string> DialTaken = new[] { "completed", "answered" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // bridged: dequeued to a human and that conversation is over; bridging-in-process: the dequeue is under way;
    // redirected-from-bridged: moved on by the human's side after the bridge. Every other value left the caller unserved.
    private static readonly FrozenSet<string> QueueTaken = new[] { "bridged", "bridging-in-process", "redirected-from-bridged" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // The parent call's CallStatus in the action request: terminal means the caller is gone, whatever the verb says.
    private static readonly FrozenSet<string> CallGone = new[] { "completed", "busy", "failed", "no-answer", "canceled" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The tag recorded as the status event's <see cref="CallStatusEvent.Status"/>.</summary>
    public string Tag => Kind switch
    {
        TransferOutcomeKind.Answered => "answered",
        TransferOutcomeKind.CallerLeft => "caller-left",
        _ => "not-reached",
    };

    /// <summary>Reads the action request; <see langword="null"/> when it carries neither parameter.</summary>
    public static TransferOutcome? FromForm(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var callGone = CallGone.Contains(form["CallStatus"].ToString());
        var dial = form[DialParameter].ToString();
        if (dial.Length > 0)
        {
            return Classify(DialTaken.Contains(dial), callerLeft: callGone, DialParameter, dial);
        }

        var queue = form[QueueParameter].ToString();
        if (queue.Length > 0)
        {
            var callerLeft = callGone || string.Equals(queue, "hangup", StringComparison.OrdinalIgnoreCase);
            return Classify(QueueTaken.Contains(queue), callerLeft, QueueParameter, queue);
        }

        return null;
    }

    /// <summary>The outcome recorded by <see cref="ToStatusEvent"/>, or <see langword="null"/> for any other event.</summary>
    public static TransferOutcome? FromStatusEvent(CallStatusEvent status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var eq = status.Detail?.IndexOf('=', StringComparison.Ordinal) ?? -1;
        if (status.Source != StatusSource || eq <= 0)
        {
            return null;
        }

        var kind = status.Status switch
        {
            "answered" => TransferOutcomeKind.Answered,
            "caller-left" => TransferOutcomeKind.CallerLeft,
            _ => TransferOutcomeKind.NotReached,
        };
        return new TransferOutcome(kind, status.Detail![..eq], status.Detail[(eq + 1)..]);
    }

    /// <summary>The newest transfer outcome in the call's status history.</summary>
    public static TransferOutcome? Latest(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var i = call.StatusHistory.Count - 1; i >= 0; i--)
        {
            if (FromStatusEvent(call.StatusHistory[i]) is { } outcome)
            {
                return outcome;
            }
        }

        return null;
    }

    public CallStatusEvent ToStatusEvent(DateTimeOffset at) => new(StatusSource, Tag, at, $"{Parameter}={Status}");

    /// <summary>Why nobody took the call, in words the agent can pass on.</summary>
    public string Describe() => Status.ToLowerInvariant() switch
    {
        "busy" => "the line was busy",
        "no-answer" => "nobody answered",
        "failed" => "the call to the team could not be placed",
        "canceled" => "the call to the team was cancelled before anyone answered",
        "leave" => "nobody in the team became free in time",
        "queue-full" => "the team's queue was full",
        "redirected" => "the call was taken out of the team's queue",
        "error" or "system-error" => "a system error stopped the transfer",
        _ => "nobody could take the call",
    };

    private static TransferOutcome Classify(bool taken, bool callerLeft, string parameter, string status) =>
        new(taken ? TransferOutcomeKind.Answered : callerLeft ? TransferOutcomeKind.CallerLeft : TransferOutcomeKind.NotReached, parameter, status);
}
