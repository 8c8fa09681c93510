using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhoneAgent.GeminiLiveEmulator.Scenarios;

/// <summary>
/// Source-generated JSON for scenario files: camelCase, enum values as names, unknown keys rejected (a typo must
/// not silently drop a fault), comments and trailing commas allowed because people edit these files.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    UseStringEnumConverter = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(EmulatorScenario))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
