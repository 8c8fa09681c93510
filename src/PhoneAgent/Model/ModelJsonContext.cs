using System.Text.Json.Serialization;

namespace PhoneAgent.Model;

[JsonSerializable(typeof(string))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
