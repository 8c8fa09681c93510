using PhoneAgent.Bridge;
using PhoneAgent.Health;
using PhoneAgent.Telephony;

namespace PhoneAgent;

/// <summary>Maps every endpoint of the phone agent.</summary>
internal static class PhoneAgentEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapPhoneAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapHealthEndpoints();
        endpoints.MapTwilioEndpoints();
        endpoints.MapBridgeMetrics();
        return endpoints;
    }
}
