using PhoneAgent.AgentProfiles;
using PhoneAgent.Calls;

namespace PhoneAgent.Telephony;

/// <summary>
/// Asked by <c>POST /twilio/voice</c> before a new call gets its stream. The bridge registers one that enforces the
/// instance's concurrent-call limit and the per-caller rate, and pre-warms the model session of admitted calls; a
/// refused call hears the profile's <c>fallback</c> (apology, then queue, dial or hang-up), never a broken stream.
/// </summary>
internal interface ICallAdmission
{
    /// <summary>Decides on a new call (not on a retried webhook of a call already admitted).</summary>
    CallAdmissionResult Admit(CallRecord call, AgentProfile profile);
}

/// <summary>The decision: admitted, or refused with a reason for logs and metrics (no PII).</summary>
internal sealed record CallAdmissionResult(bool Admitted, string? Reason = null)
{
    public static CallAdmissionResult Yes { get; } = new(true);

    public static CallAdmissionResult No(string reason) => new(false, reason);
}

/// <summary>Admits every call (the edge alone, without a bridge).</summary>
internal sealed class AdmitAllCalls : ICallAdmission
{
    public CallAdmissionResult Admit(CallRecord call, AgentProfile profile) => CallAdmissionResult.Yes;
}
