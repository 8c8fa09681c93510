using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhoneAgent.AgentProfiles;

/// <summary>
/// Source-generated JSON for profile files: camelCase, unknown and duplicate keys rejected, <c>null</c> rejected where
/// the record does not allow it. Comments and trailing commas are allowed because people edit these files.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(AgentProfile))]
internal sealed partial class AgentProfileJsonContext : JsonSerializerContext;
