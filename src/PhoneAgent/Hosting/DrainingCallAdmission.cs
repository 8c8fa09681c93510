using PhoneAgent.AgentProfiles;
using PhoneAgent.Bridge;
using PhoneAgent.Calls;
using PhoneAgent.Telephony;

namespace PhoneAgent.Hosting;

/// <summary>
/// The voice webhook's admission while the instance drains: a new call is refused (reason <c>draining</c>, counted in
/// <c>phoneagent.bridge.calls.refused</c>), so it hears the profile's fallback instead of a stream on an instance that
/// is going away; otherwise the bridge's admission decides.
/// </summary>
internal sealed class DrainingCallAdmission(BridgeCallAdmission inner, ICallDrain drain, BridgeMetrics metrics) : ICallAdmission
{
    public const string Reason = "draining";

    public CallAdmissionResult Admit(CallRecord call, AgentProfile profile)
    {
        if (drain.Draining)
        {
            metrics.CallRefused(Reason);
            return CallAdmissionResult.No(Reason);
        }

        return inner.Admit(call, profile);
    }
}
