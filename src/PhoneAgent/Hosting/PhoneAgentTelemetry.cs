using System.Diagnostics;

namespace PhoneAgent.Hosting;

/// <summary>
/// The service's own traces (ActivitySource <c>PhoneAgent</c>). Webhooks and the media stream are ASP.NET Core's
/// server spans (the stream's GET /twilio/media span lasts as long as the call's WebSocket); tool calls are spans of
/// this source inside it. Every span of a call carries <see cref="CallSidTag"/>.
/// </summary>
internal static class PhoneAgentTelemetry
{
    public const string SourceName = "PhoneAgent";

    public const string CallSidTag = "phoneagent.call_sid";

    public static ActivitySource Source { get; } = new(SourceName);
}
