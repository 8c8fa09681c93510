using System.Text.Json.Serialization;

namespace PhoneAgent.Tools;

[JsonSerializable(typeof(string))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;
