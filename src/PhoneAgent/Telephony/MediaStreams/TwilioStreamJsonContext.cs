using System.Text.Json.Serialization;

namespace PhoneAgent.Telephony.MediaStreams;

/// <summary>
/// Source-generated JSON for the Media Streams control messages: camelCase, numbers accepted as JSON numbers or
/// strings (Twilio's examples send <c>"sequenceNumber":"1"</c>, typed clients send 1), nulls not written.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConnectedMessage))]
[JsonSerializable(typeof(StartMessage))]
[JsonSerializable(typeof(DtmfMessage))]
[JsonSerializable(typeof(MarkMessage))]
[JsonSerializable(typeof(StopMessage))]
[JsonSerializable(typeof(ClearMessage))]
internal sealed partial class TwilioStreamJsonContext : JsonSerializerContext;
